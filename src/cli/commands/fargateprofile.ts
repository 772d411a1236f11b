// `skiff create|get|delete fargateprofile`: eksctl's flags, messages and output, against the EKS API through the
// AWS SDK. `-f` takes a ClusterConfig; a kube-system profile also moves CoreDNS onto Fargate as eksctl does.
import { randomBytes } from 'node:crypto';
import {
  CreateFargateProfileCommand,
  DeleteFargateProfileCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  type EKSClient,
  type FargateProfile,
  paginateListFargateProfiles,
} from '@aws-sdk/client-eks';
import type { Command } from 'commander';
import { callerAccount } from '../eks/client.js';
import type { ConfigFargateProfile } from '../eks/cluster-config.js';
import { moveCoreDNSOntoFargate, selectsCoreDNS } from '../eks/coredns.js';
import { awsMessage, connect, type EksctlFlags, eksctlFlags } from '../eks/flags.js';
import { log } from '../eks/log.js';
import { kv, outputFormat, printObjects, tabTable } from '../eks/print.js';
import { nameFromFlagOrArg, parseDuration, parseKeyValues, verb } from '../eks/verbs.js';
import { CliError } from '../errors.js';

const errorName = (error: unknown) => (error as { name?: string }).name;

export function profileName(): string {
  return `fp-${Array.from(randomBytes(8), (b) => '0123456789abcdef'[b % 16]).join('')}`;
}

function validateProfile(p: ConfigFargateProfile) {
  if (!p.name) throw new CliError('invalid Fargate profile: empty name');
  if (p.name.startsWith('eks-'))
    throw new CliError(`invalid Fargate profile "${p.name}": name should NOT start with "eks-"`);
  if (p.selectors.length === 0) throw new CliError(`invalid Fargate profile "${p.name}": no profile selector`);
  p.selectors.forEach((s, i) => {
    if (!s.namespace)
      throw new CliError(
        `invalid Fargate profile "${p.name}": invalid profile selector at index #${i}: empty namespace`,
      );
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string, pollMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new CliError(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

async function listProfileNames(client: EKSClient, cluster: string, chunkSize = 100): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListFargateProfiles({ client, pageSize: chunkSize }, { clusterName: cluster })) {
    names.push(...(page.fargateProfileNames ?? []));
  }
  return names;
}

async function createProfiles(
  flags: EksctlFlags & { namespace?: string; labels?: string; tags?: string; dataDir?: string },
  arg?: string,
) {
  if (flags.configFile && (flags.name || arg || flags.namespace || flags.labels)) {
    throw new CliError('cannot use --name, --namespace or --labels when --config-file/-f is set');
  }
  const { config, cluster, target, client } = connect(flags);
  for (const w of config?.warnings ?? []) log.warning(w);
  const timeoutMs = parseDuration(flags.timeout);
  let profiles: ConfigFargateProfile[];
  if (config) {
    if (config.fargateProfiles.length === 0)
      throw new CliError(`no Fargate profiles in ${flags.configFile}: add fargateProfiles[]`);
    profiles = config.fargateProfiles;
  } else {
    if (!flags.namespace) throw new CliError('invalid Fargate profile: empty selector namespace');
    const labels = parseKeyValues(flags.labels, 'label');
    profiles = [
      {
        name: nameFromFlagOrArg(flags.name, arg) ?? profileName(),
        selectors: [{ namespace: flags.namespace, ...(labels ? { labels } : {}) }],
        tags: parseKeyValues(flags.tags, 'tag'),
      },
    ];
  }
  profiles.forEach(validateProfile);
  const account = await callerAccount(target);
  const { cluster: described } = await client.send(new DescribeClusterCommand({ name: cluster })).catch((e) => {
    throw new CliError(`cannot create Fargate profile(s) on cluster "${cluster}": ${awsMessage(e)}`);
  });
  if (['CREATING', 'DELETING', 'FAILED'].includes(described?.status ?? '')) {
    throw new CliError(
      `cluster "${cluster}" is in status ${described?.status}; Fargate profiles need an ACTIVE cluster`,
    );
  }
  const existing = new Set(await listProfileNames(client, cluster));
  let coreDNS = false;
  for (const p of profiles) {
    if (existing.has(p.name)) {
      log.info(`Fargate profile "${p.name}" already exists on EKS cluster "${cluster}"`);
      continue;
    }
    const role =
      p.podExecutionRoleARN ??
      config?.iam?.fargatePodExecutionRoleARN ??
      `arn:aws:iam::${account}:role/eksctl-${cluster}-fargate-FargatePodExecutionRole`;
    log.info(`creating Fargate profile "${p.name}" on EKS cluster "${cluster}"`);
    try {
      await client.send(
        new CreateFargateProfileCommand({
          clusterName: cluster,
          fargateProfileName: p.name,
          podExecutionRoleArn: role,
          selectors: p.selectors,
          subnets: p.subnets,
          tags: p.tags,
        }),
      );
    } catch (error) {
      if (errorName(error) === 'ResourceInUseException') {
        log.info(
          `either Fargate profile "${p.name}" already exists on EKS cluster "${cluster}" or another profile is being created/deleted, no action taken`,
        );
        continue;
      }
      throw new CliError(
        `failed to create Fargate profile "${p.name}" on EKS cluster "${cluster}": ${awsMessage(error)}`,
      );
    }
    await waitFor(
      async () => {
        const { fargateProfile } = await client.send(
          new DescribeFargateProfileCommand({ clusterName: cluster, fargateProfileName: p.name }),
        );
        if (fargateProfile?.status === 'CREATE_FAILED')
          throw new CliError(`Fargate profile "${p.name}" failed to create`);
        return fargateProfile?.status === 'ACTIVE';
      },
      timeoutMs,
      `Fargate profile "${p.name}" to become ACTIVE`,
    );
    log.info(`created Fargate profile "${p.name}" on EKS cluster "${cluster}"`);
    coreDNS ||= selectsCoreDNS(p.selectors);
  }
  if (coreDNS) await moveCoreDNSOntoFargate({ dataDir: flags.dataDir, timeoutMs });
}

/** A profile as eksctl prints it in YAML/JSON. */
function configShape(p: FargateProfile) {
  return {
    name: p.fargateProfileName,
    podExecutionRoleARN: p.podExecutionRoleArn,
    selectors: (p.selectors ?? []).map((s) => ({
      namespace: s.namespace,
      ...(s.labels && Object.keys(s.labels).length ? { labels: s.labels } : {}),
    })),
    ...(p.subnets?.length ? { subnets: p.subnets } : {}),
    ...(p.tags && Object.keys(p.tags).length ? { tags: p.tags } : {}),
    status: p.status,
  };
}

async function getProfiles(flags: EksctlFlags & { output: string; chunkSize: string }, arg?: string) {
  const format = outputFormat(flags.output);
  const { cluster, client } = connect(flags);
  const wanted = nameFromFlagOrArg(flags.name, arg);
  const names = wanted
    ? [wanted]
    : await listProfileNames(client, cluster, Number(flags.chunkSize)).catch((e) => {
        throw new CliError(awsMessage(e));
      });
  const profiles: FargateProfile[] = [];
  for (const name of names) {
    const out = await client
      .send(new DescribeFargateProfileCommand({ clusterName: cluster, fargateProfileName: name }))
      .catch((e) => {
        throw new CliError(awsMessage(e));
      });
    if (out.fargateProfile) profiles.push(out.fargateProfile);
  }
  if (format !== 'table') {
    process.stdout.write(printObjects(profiles.map(configShape), format));
    return;
  }
  if (profiles.length === 0) {
    log.info(`no Fargate profiles found for cluster "${cluster}"`);
    return;
  }
  const rows = [
    ['NAME', 'SELECTOR_NAMESPACE', 'SELECTOR_LABELS', 'POD_EXECUTION_ROLE_ARN', 'SUBNETS', 'TAGS', 'STATUS'],
  ];
  for (const p of profiles) {
    for (const s of p.selectors ?? []) {
      rows.push([
        p.fargateProfileName ?? '',
        s.namespace ?? '',
        kv(s.labels),
        p.podExecutionRoleArn ?? '',
        p.subnets?.length ? p.subnets.join(',') : '<none>',
        kv(p.tags),
        p.status ?? '',
      ]);
    }
  }
  process.stdout.write(tabTable(rows));
}

async function deleteProfile(flags: EksctlFlags & { wait?: boolean }, arg?: string) {
  const { config, cluster, client } = connect(flags);
  const explicit = nameFromFlagOrArg(flags.name, arg);
  const names = explicit ? [explicit] : (config?.fargateProfiles.map((p) => p.name) ?? []);
  if (names.length === 0) throw new CliError('--name must be set');
  const say = flags.wait ? log.info : () => {};
  for (const name of names) {
    say(`deleting Fargate profile "${name}" on EKS cluster "${cluster}"`);
    await client
      .send(new DeleteFargateProfileCommand({ clusterName: cluster, fargateProfileName: name }))
      .catch((e) => {
        throw new CliError(awsMessage(e));
      });
    if (flags.wait) {
      await waitFor(
        async () => !(await listProfileNames(client, cluster)).includes(name),
        parseDuration(flags.timeout),
        `Fargate profile "${name}" to be deleted`,
      );
    }
    log.info(`deleted Fargate profile "${name}" on EKS cluster "${cluster}"`);
  }
}

export function register(program: Command): void {
  eksctlFlags(
    verb(program, 'create').command('fargateprofile [NAME]').description('Create a Fargate profile'),
    '--name <name>',
    'name of the Fargate profile',
  )
    .option('--namespace <namespace>', 'Kubernetes namespace of the workloads to schedule on Fargate')
    .option(
      '-l, --labels <labels>',
      'Kubernetes selector labels of the workloads to schedule on Fargate. List of comma separated KV pairs "k1=v1,k2=v2"',
    )
    .option('-t, --tags <tags>', 'Used to tag the AWS resources. List of comma separated KV pairs "k1=v1,k2=v2"')
    .option(
      '--data-dir <dir>',
      'Skiff data dir whose kubeconfig the CoreDNS step uses (default ~/.skiff or $SKIFF_DATA_DIR)',
    )
    .action((name, flags) => createProfiles(flags, name));
  eksctlFlags(
    verb(program, 'get').command('fargateprofile [NAME]').description('Get Fargate profile(s)'),
    '--name <name>',
    'name of the Fargate profile',
  )
    .option('-o, --output <format>', 'specifies the output format (valid option(s): table, json, yaml)', 'table')
    .option('--chunk-size <n>', 'return large lists in chunks rather than all at once', '100')
    .action((name, flags) => getProfiles(flags, name));
  eksctlFlags(
    verb(program, 'delete').command('fargateprofile [NAME]').description('Delete Fargate profile'),
    '--name <name>',
    'name of the Fargate profile',
  )
    .option(
      '-w, --wait',
      'wait for the deletion of the Fargate profile, which may take from a couple seconds to a couple minutes.',
    )
    .action((name, flags) => deleteProfile(flags, name));
}
