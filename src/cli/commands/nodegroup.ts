// `skiff create|get|delete nodegroup`: eksctl's managed node group flags and messages against the EKS API, through
// the AWS SDK. `-f` takes a ClusterConfig's managedNodeGroups.
import {
  CreateNodegroupCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  type EKSClient,
  type Nodegroup,
  paginateListNodegroups,
  type TaintEffect,
} from '@aws-sdk/client-eks';
import type { Command } from 'commander';
import { instanceType } from '../../controllers/nodegroup/instance-types.js';
import { callerAccount } from '../eks/client.js';
import type { ConfigNodeGroup } from '../eks/cluster-config.js';
import { awsMessage, connect, type EksctlFlags, eksctlFlags } from '../eks/flags.js';
import { log } from '../eks/log.js';
import { outputFormat, printObjects, tabTable } from '../eks/print.js';
import { nameFromFlagOrArg, parseDuration, parseKeyValues, verb } from '../eks/verbs.js';
import { CliError } from '../errors.js';

const TAINT_EFFECTS: Record<string, TaintEffect> = {
  NoSchedule: 'NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
};

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new CliError(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function taintFlag(text: string | undefined) {
  if (!text) return [];
  return text.split(',').map((t) => {
    const m = /^([^=:]+)(?:=([^:]*))?:(\w+)$/.exec(t.trim());
    const effect = m && TAINT_EFFECTS[m[3]];
    if (!m || !effect)
      throw new CliError(`invalid taint "${t}": expected key[=value]:NoSchedule|NoExecute|PreferNoSchedule`);
    return { key: m[1], value: m[2], effect };
  });
}

/**
 * --node-type or eksctl's --instance-types (comma list; nodes take the first), each checked against the instance
 * types Skiff can size; eksctl refuses both at once.
 */
export function instanceTypesFlag(nodeType: string | undefined, list: string | undefined): string[] {
  if (nodeType && list) throw new CliError('only one of --node-type or --instance-types can be specified');
  const types = list !== undefined ? list.split(',').map((t) => t.trim()) : [nodeType ?? 'm5.large'];
  const flag = list !== undefined ? '--instance-types' : '--node-type';
  if (types.length === 0 || types.some((t) => t === ''))
    throw new CliError(`${flag} must list instance types, e.g. m5.large,m5.xlarge`);
  for (const t of types) {
    if (!instanceType(t)) {
      throw new CliError(`${flag}: "${t}" is not an instance type Skiff knows (e.g. t3.medium, m5.large, c5.xlarge)`);
    }
  }
  return types;
}

async function createNodegroups(flags: EksctlFlags & Record<string, string | boolean | undefined>, arg?: string) {
  const { config, cluster, target, client } = connect(flags);
  const timeoutMs = parseDuration(flags.timeout);
  const groups: ConfigNodeGroup[] = config
    ? config.managedNodeGroups
    : [
        {
          name: nameFromFlagOrArg(flags.name, arg) ?? `ng-${Math.random().toString(16).slice(2, 10)}`,
          instanceTypes: instanceTypesFlag(
            flags.nodeType as string | undefined,
            flags.instanceTypes as string | undefined,
          ),
          desiredCapacity: Number(flags.nodes),
          minSize: flags.nodesMin === undefined ? undefined : Number(flags.nodesMin),
          maxSize: flags.nodesMax === undefined ? undefined : Number(flags.nodesMax),
          labels: parseKeyValues(flags.nodeLabels as string | undefined, 'label'),
          taints: taintFlag(flags.nodeTaints as string | undefined),
          tags: parseKeyValues(flags.tags as string | undefined, 'tag'),
          subnets: (flags.subnetIds as string | undefined)?.split(','),
          volumeSize: Number(flags.nodeVolumeSize),
          privateNetworking: Boolean(flags.nodePrivateNetworking),
        },
      ];
  if (groups.length === 0) throw new CliError(`no managedNodeGroups in ${flags.configFile}`);
  const account = await callerAccount(target);
  const { cluster: described } = await client.send(new DescribeClusterCommand({ name: cluster })).catch((e) => {
    throw new CliError(awsMessage(e));
  });
  const subnetIds = described?.resourcesVpcConfig?.subnetIds ?? [];
  for (const g of groups) {
    if (!g.name) throw new CliError('invalid nodegroup: empty name');
    // eksctl's default layout puts the public subnets first; --node-private-networking picks the private ones.
    const subnets =
      g.subnets ??
      (g.privateNetworking ? subnetIds.slice(subnetIds.length / 2) : subnetIds.slice(0, subnetIds.length / 2));
    const desired = g.desiredCapacity ?? 2;
    log.info(`creating managed nodegroup "${g.name}" in cluster "${cluster}"`);
    await client
      .send(
        new CreateNodegroupCommand({
          clusterName: cluster,
          nodegroupName: g.name,
          nodeRole:
            g.iam?.instanceRoleARN ??
            `arn:aws:iam::${account}:role/eksctl-${cluster}-nodegroup-${g.name}-NodeInstanceRole`,
          subnets,
          scalingConfig: {
            desiredSize: desired,
            minSize: g.minSize ?? desired,
            maxSize: g.maxSize ?? Math.max(desired, 1),
          },
          instanceTypes: g.instanceTypes ?? [g.instanceType ?? 'm5.large'],
          labels: { 'alpha.eksctl.io/cluster-name': cluster, 'alpha.eksctl.io/nodegroup-name': g.name, ...g.labels },
          taints: (g.taints ?? []).map((t) => ({
            key: t.key,
            value: t.value,
            effect: TAINT_EFFECTS[t.effect] ?? (t.effect as TaintEffect),
          })),
          tags: g.tags,
          diskSize: g.volumeSize ?? 80,
        }),
      )
      .catch((e) => {
        throw new CliError(`creating nodegroup "${g.name}": ${awsMessage(e)}`);
      });
    await until(
      async () => {
        const { nodegroup } = await client.send(
          new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: g.name }),
        );
        return nodegroup?.status === 'ACTIVE';
      },
      timeoutMs,
      `nodegroup "${g.name}" to become ACTIVE`,
    );
    log.success(`created 1 managed nodegroup(s) in cluster "${cluster}"`);
  }
}

async function listNames(client: EKSClient, cluster: string) {
  const names: string[] = [];
  for await (const page of paginateListNodegroups({ client }, { clusterName: cluster }))
    names.push(...(page.nodegroups ?? []));
  return names;
}

async function getNodegroups(flags: EksctlFlags & { output: string }, arg?: string) {
  const format = outputFormat(flags.output);
  const { cluster, client } = connect(flags);
  const wanted = nameFromFlagOrArg(flags.name, arg);
  const groups: Nodegroup[] = [];
  try {
    for (const name of wanted ? [wanted] : await listNames(client, cluster)) {
      const { nodegroup } = await client.send(
        new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: name }),
      );
      if (nodegroup) groups.push(nodegroup);
    }
  } catch (e) {
    throw new CliError(awsMessage(e));
  }
  if (format !== 'table') {
    process.stdout.write(printObjects(groups, format));
    return;
  }
  const rows = [
    [
      'CLUSTER',
      'NODEGROUP',
      'STATUS',
      'CREATED',
      'MIN SIZE',
      'MAX SIZE',
      'DESIRED CAPACITY',
      'INSTANCE TYPE',
      'IMAGE ID',
      'ASG NAME',
      'TYPE',
    ],
  ];
  for (const g of groups) {
    rows.push([
      cluster,
      g.nodegroupName ?? '',
      g.status ?? '',
      g.createdAt?.toISOString().replace(/\.\d+Z$/, 'Z') ?? '',
      String(g.scalingConfig?.minSize ?? ''),
      String(g.scalingConfig?.maxSize ?? ''),
      String(g.scalingConfig?.desiredSize ?? ''),
      (g.instanceTypes ?? []).join(','),
      g.amiType ?? '',
      g.resources?.autoScalingGroups?.[0]?.name ?? '',
      'managed',
    ]);
  }
  process.stdout.write(tabTable(rows));
}

async function deleteNodegroup(flags: EksctlFlags & { wait?: boolean }, arg?: string) {
  const { config, cluster, client } = connect(flags);
  const explicit = nameFromFlagOrArg(flags.name, arg);
  const names = explicit ? [explicit] : (config?.managedNodeGroups.map((g) => g.name) ?? []);
  if (names.length === 0) throw new CliError('--name must be set');
  for (const name of names) {
    log.info(`will drain and delete nodegroup "${name}" in cluster "${cluster}"`);
    await client.send(new DeleteNodegroupCommand({ clusterName: cluster, nodegroupName: name })).catch((e) => {
      throw new CliError(awsMessage(e));
    });
    if (flags.wait) {
      await until(
        async () => !(await listNames(client, cluster)).includes(name),
        parseDuration(flags.timeout),
        `nodegroup "${name}" to be deleted`,
      );
    }
    log.success(`deleted 1 nodegroup(s) from cluster "${cluster}"`);
  }
}

export function register(program: Command): void {
  eksctlFlags(
    verb(program, 'create').command('nodegroup [NAME]').description('Create a managed nodegroup'),
    '-n, --name <name>',
    'name of the nodegroup',
  )
    .option('-t, --node-type <type>', 'node instance type (default "m5.large")')
    .option(
      '--instance-types <types>',
      'comma-separated list of instance types (e.g., --instance-types=c3.large,c4.large,c5.large); nodes are the first',
    )
    .option('-N, --nodes <n>', 'total number of nodes (for a static ASG)', '2')
    .option('-m, --nodes-min <n>', 'minimum nodes in ASG')
    .option('-M, --nodes-max <n>', 'maximum nodes in ASG')
    .option('--node-volume-size <gib>', 'node volume size in GB', '80')
    .option(
      '--node-labels <labels>',
      'extra labels to add when registering the nodes in the nodegroup. List of comma separated KV pairs "k1=v1,k2=v2"',
    )
    .option('--node-taints <taints>', 'taints, "key=value:NoSchedule,…"')
    .option('--tags <tags>', 'used to tag the AWS resources. List of comma separated KV pairs "k1=v1,k2=v2"')
    .option('--subnet-ids <ids>', 'comma separated subnet ids for the nodegroup')
    .option('-P, --node-private-networking', 'whether to make nodegroup networking private')
    .action((name, flags) => createNodegroups(flags, name));
  eksctlFlags(
    verb(program, 'get').command('nodegroup [NAME]').description('Get nodegroup(s)'),
    '-n, --name <name>',
    'name of the nodegroup',
  )
    .option('-o, --output <format>', 'specifies the output format (valid option(s): table, json, yaml)', 'table')
    .action((name, flags) => getNodegroups(flags, name));
  eksctlFlags(
    verb(program, 'delete').command('nodegroup [NAME]').description('Delete a nodegroup'),
    '-n, --name <name>',
    'name of the nodegroup',
  )
    .option('-w, --wait', 'wait for deletion of all resources before exiting')
    .action((name, flags) => deleteNodegroup(flags, name));
}
