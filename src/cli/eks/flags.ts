// The flags every eksctl-style verb shares (cluster, name, region, profile, config file, timeout, endpoint) and
// the connection they lead to: the ClusterConfig if one was given, the cluster name and an EKS client.
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { eksClient } from './client.js';
import { loadClusterConfig } from './cluster-config.js';
import { resolveTarget, type TargetFlags } from './target.js';

export interface EksctlFlags extends TargetFlags {
  cluster?: string;
  name?: string;
  configFile?: string;
  timeout: string;
}

export const awsMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function eksctlFlags(cmd: Command, nameFlag: string, nameHelp: string): Command {
  return cmd
    .option('-c, --cluster <name>', 'EKS cluster name')
    .option(nameFlag, nameHelp)
    .option('-r, --region <region>', 'AWS region')
    .option('-p, --profile <profile>', 'AWS credentials profile to use')
    .option('-f, --config-file <file>', "load configuration from a file (or stdin if set to '-')")
    .option('--timeout <duration>', 'maximum waiting time for any long-running operation', '25m0s')
    .option('--endpoint-url <url>', 'EKS API endpoint (default: AWS_ENDPOINT_URL_EKS, else the running Skiff)');
}

export function connect(flags: EksctlFlags) {
  const config = flags.configFile ? loadClusterConfig(flags.configFile) : undefined;
  const cluster = config?.metadata.name ?? flags.cluster;
  if (!cluster) throw new CliError('--cluster must be set');
  const target = resolveTarget({ ...flags, region: config?.metadata.region ?? flags.region });
  return { config, cluster, target, client: eksClient(target) };
}
