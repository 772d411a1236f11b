// `skiff status`: whether a cluster runs from this data dir, its sandbox runtime (and why, when `auto` fell back to
// the simulated one), and where its APIs are; exit code 1 when stopped.
import type { Command } from 'commander';
import { runningInstance } from '../cluster/runtime-info.js';
import { dataPaths, defaultDataDir } from '../config.js';
import { CliError } from '../errors.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('show whether the cluster is running')
    .option('--data-dir <dir>', 'where Skiff keeps its state', defaultDataDir())
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (opts) => {
      const info = runningInstance(dataPaths(opts.dataDir).runtimeInfo);
      if (opts.output === 'json') {
        console.log(JSON.stringify(info ? { running: true, ...info } : { running: false }, null, 2));
      } else if (info) {
        console.log(`Skiff is running (pid ${info.pid}) since ${info.startedAt}`);
        console.log(`  cluster:    ${info.name} (${info.region})`);
        if (info.runtime) console.log(`  runtime:    ${info.runtime.summary}`);
        const why = info.runtime?.fallback?.replace(/^skiff: pods will be simulated \(no container runs\): /, '');
        if (why) console.log(`  why:        ${why}`);
        console.log(`  kube API:   ${info.kubeEndpoint}`);
        console.log(`  EKS API:    ${info.eksEndpoint}`);
        console.log(`  kubeconfig: ${info.kubeconfig}`);
      }
      if (!info) {
        if (opts.output !== 'json')
          throw new CliError(`Skiff is not running from ${opts.dataDir}; start it with "skiff up"`);
        process.exitCode = 1;
      }
    });
}
