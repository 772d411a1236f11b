// `skiff env`: shell lines that point kubectl and the AWS CLI/SDKs at the running cluster
// (eval "$(skiff env)").
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readCredentialsFile } from '../../eks/credentials.js';
import { runningInstance } from '../cluster/runtime-info.js';
import { dataPaths, defaultDataDir } from '../config.js';
import { CliError } from '../errors.js';

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export function register(program: Command): void {
  program
    .command('env')
    .description('print export lines for KUBECONFIG and the AWS endpoint and credentials')
    .option('--data-dir <dir>', 'where Skiff keeps its state', defaultDataDir())
    .action(async (opts) => {
      const paths = dataPaths(opts.dataDir);
      const info = runningInstance(paths.runtimeInfo);
      if (!info) throw new CliError(`Skiff is not running from ${opts.dataDir}; start it with "skiff up"`);
      const credentials = readCredentialsFile(readFileSync(paths.awsCredentials, 'utf8'));
      if (!credentials) throw new CliError(`no credentials in ${paths.awsCredentials}; restart with "skiff up"`);
      const vars: [string, string][] = [
        ['KUBECONFIG', paths.kubeconfig],
        ['AWS_ENDPOINT_URL_EKS', info.eksEndpoint],
        // The same endpoint answers EC2's VPC reads (describe-subnets, describe-vpcs, …).
        ['AWS_ENDPOINT_URL_EC2', info.eksEndpoint],
        ['AWS_ACCESS_KEY_ID', credentials.accessKeyId],
        ['AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey],
        ['AWS_REGION', info.region],
        ['AWS_DEFAULT_REGION', info.region],
        ['AWS_CONFIG_FILE', paths.awsConfig],
        ['AWS_SHARED_CREDENTIALS_FILE', paths.awsCredentials],
      ];
      for (const [name, value] of vars) console.log(`export ${name}=${quote(value)}`);
    });
}
