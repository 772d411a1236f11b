// `skiff check -f FILE|DIR|-`: what Fargate would make of manifests before they are applied — for every pod
// template, the profile that captures it (profiles from an eksctl ClusterConfig, offline, or from the cluster's
// EKS API), fargate-scheduler's refusal, the CapacityProvisioned size and why, the cost per hour and month and on
// an EC2 instance type, and warnings. Exit code 1 when something would be refused, for CI.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DescribeFargateProfileCommand, paginateListFargateProfiles } from '@aws-sdk/client-eks';
import type { Command } from 'commander';
import { defaultInstanceType, instanceType } from '../../controllers/nodegroup/instance-types.js';
import type { MatchableProfile } from '../../fargate/matching.js';
import { fargateRatesFor, NoPriceError } from '../../fargate/prices.js';
import { checkJson, summaryText, verdictText } from '../../metering/check/render.js';
import { ManifestError, type PodTemplate, parseManifests, podTemplates } from '../../metering/check/templates.js';
import { checkTemplate, type Verdict } from '../../metering/check/verdict.js';
import { defaults } from '../config.js';
import { eksClient } from '../eks/client.js';
import { loadClusterConfig } from '../eks/cluster-config.js';
import { awsMessage } from '../eks/flags.js';
import { resolveTarget, type TargetFlags } from '../eks/target.js';
import { CliError } from '../errors.js';

export interface CheckOptions extends TargetFlags {
  filename: string[];
  configFile?: string;
  cluster?: string;
  namespace: string;
  instanceType: string;
  output: string;
}

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);

function readSources(paths: string[], stdin: () => string): { text: string; source: string }[] {
  const out: { text: string; source: string }[] = [];
  for (const path of paths) {
    if (path === '-') {
      out.push({ text: stdin(), source: 'stdin' });
      continue;
    }
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      throw new CliError(`the path "${path}" does not exist`);
    }
    if (stat.isDirectory()) {
      const files = readdirSync(path)
        .filter((f) => manifestExtensions.has(extname(f)))
        .sort();
      out.push(
        ...readSources(
          files.map((f) => join(path, f)),
          stdin,
        ),
      );
    } else {
      out.push({ text: readFileSync(path, 'utf8'), source: path });
    }
  }
  return out;
}

async function clusterProfiles(opts: CheckOptions, cluster: string): Promise<MatchableProfile[]> {
  const client = eksClient(resolveTarget(opts));
  const profiles: MatchableProfile[] = [];
  try {
    for await (const page of paginateListFargateProfiles({ client }, { clusterName: cluster })) {
      for (const name of page.fargateProfileNames ?? []) {
        const { fargateProfile: p } = await client.send(
          new DescribeFargateProfileCommand({ clusterName: cluster, fargateProfileName: name }),
        );
        profiles.push({
          name,
          status: (p?.status ?? 'ACTIVE') as MatchableProfile['status'],
          selectors: (p?.selectors ?? []).map((s) => ({ namespace: s.namespace, labels: s.labels })),
        });
      }
    }
  } catch (error) {
    throw new CliError(
      `cannot read the Fargate profiles of cluster "${cluster}" (give them offline with --config-file): ${awsMessage(error)}`,
    );
  } finally {
    client.destroy();
  }
  return profiles;
}

export async function runCheck(
  opts: CheckOptions,
  stdin: () => string = () => readFileSync(0, 'utf8'),
): Promise<{ output: string; refused: number }> {
  if (opts.filename.length === 0) throw new CliError('must specify one of -f and -k');
  const config = opts.configFile ? loadClusterConfig(opts.configFile) : undefined;
  const region = opts.region ?? config?.metadata.region ?? defaults.region;
  const profiles: MatchableProfile[] = config
    ? config.fargateProfiles.map((p) => ({ name: p.name, status: 'ACTIVE', selectors: p.selectors }))
    : await clusterProfiles(opts, opts.cluster ?? defaults.name);
  const type = instanceType(opts.instanceType);
  if (!type) throw new CliError(`unknown instance type "${opts.instanceType}"`);
  let rates: ReturnType<typeof fargateRatesFor>;
  try {
    rates = fargateRatesFor(region);
  } catch (error) {
    if (error instanceof NoPriceError) throw new CliError(error.message);
    throw error;
  }
  const templates: PodTemplate[] = [];
  try {
    for (const { text, source } of readSources(opts.filename, stdin)) {
      templates.push(...podTemplates(parseManifests(text, source), source, opts.namespace));
    }
  } catch (error) {
    if (error instanceof ManifestError) throw new CliError(`error parsing ${error.message}`);
    throw error;
  }
  if (templates.length === 0) throw new CliError('no pod templates found in the manifests');
  const verdicts: Verdict[] = templates.map((t) => checkTemplate(t, { profiles, rates, region, instanceType: type }));
  const refused = verdicts.filter((v) => v.refused).length;
  if (opts.output === 'json') return { output: checkJson(verdicts), refused };
  const header = `Fargate in ${region}: $${rates.vcpuHour} per vCPU-hour, $${rates.gbHour} per GB-hour (${rates.source})`;
  const profileList = profiles.length > 0 ? profiles.map((p) => p.name).join(', ') : 'none';
  const body = verdicts.map(verdictText).join('\n\n');
  return { output: `${header}\nprofiles: ${profileList}\n\n${body}\n\n${summaryText(verdicts)}\n`, refused };
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(program: Command): void {
  program
    .command('check')
    .description('show how Fargate would run the pods of manifests, what they cost, and what it would refuse')
    .option('-f, --filename <path>', 'a manifest file, a directory of them, or - for stdin (repeatable)', collect, [])
    .option('--config-file <file>', 'eksctl ClusterConfig giving the Fargate profiles (no cluster needed)')
    .option('-c, --cluster <name>', 'read the Fargate profiles of this cluster from its EKS API', defaults.name)
    .option('-r, --region <region>', "region whose prices apply (default: the ClusterConfig's, else ap-northeast-2)")
    .option('-p, --profile <profile>', 'AWS credentials profile to use')
    .option('--endpoint-url <url>', 'EKS API endpoint (default: AWS_ENDPOINT_URL_EKS, else the running Skiff)')
    .option('-n, --namespace <ns>', 'namespace of objects that name none', 'default')
    .option('--instance-type <type>', 'EC2 instance type to compare with', defaultInstanceType)
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (opts: CheckOptions) => {
      const { output, refused } = await runCheck(opts);
      process.stdout.write(output);
      if (refused > 0) process.exitCode = 1;
    });
}
