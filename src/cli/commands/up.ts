// `skiff up`: starts the embedded cluster in the foreground (until SIGINT/SIGTERM), or with --detach in a
// background process, returning once it is ready. Prints one ready line either way, naming the sandbox runtime;
// the runtime is chosen (and what it lacks installed) and the ports checked before anything starts, so that what
// stops it is said here rather than in the log.
import { spawn } from 'node:child_process';
import { openSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { checkPortFree } from '../cluster/ports.js';
import { makeDataDirPrivate } from '../cluster/private-data.js';
import { chooseRuntime } from '../cluster/runtime-choice.js';
import { isAlive, type RuntimeInfo, runningInstance } from '../cluster/runtime-info.js';
import { startCluster } from '../cluster/start.js';
import { dataPaths, defaultDataDir, defaults, type RuntimeName, type SkiffConfig } from '../config.js';
import { parseDurationFlag } from '../duration.js';
import { CliError } from '../errors.js';

export function readyLine(info: RuntimeInfo): string {
  const runtime = info.runtime ? `runtime ${info.runtime.summary}, ` : '';
  return `Skiff is ready: cluster "${info.name}" (${info.region}) — ${runtime}kube API ${info.kubeEndpoint}, EKS API ${info.eksEndpoint}, kubeconfig ${info.kubeconfig}`;
}

/** The `Error: …` lines the background process wrote to its log after `from` (its reason for stopping). */
function errorsInLog(log: string, from: number): string[] {
  try {
    return readFileSync(log)
      .subarray(from)
      .toString('utf8')
      .split('\n')
      .filter((l) => l.startsWith('Error: '));
  } catch {
    return [];
  }
}

/** argv without --runtime (either form) and --detach, with the runtime already chosen. */
function childArgs(runtime: string): string[] {
  const args: string[] = [];
  const given = process.argv.slice(1);
  for (let i = 0; i < given.length; i++) {
    const arg = given[i]!;
    if (arg === '--detach' || arg === '-d' || arg.startsWith('--runtime=')) continue;
    if (arg === '--runtime') {
      i++;
      continue;
    }
    args.push(arg);
  }
  return [...args, '--runtime', runtime];
}

function parsePort(value: string, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`${flag} must be a port number from 0 to 65535, got "${value}"`);
  return port;
}

/** How a detached `up` tells its background process why `auto` fell back (for D/skiff.json and `skiff status`). */
const fallbackEnv = 'SKIFF_INTERNAL_RUNTIME_FALLBACK';

async function runDetached(config: SkiffConfig, runtimeFallback?: string): Promise<void> {
  const paths = dataPaths(config.dataDir);
  makeDataDirPrivate(paths);
  const logStart = statSync(paths.serverLog, { throwIfNoEntry: false })?.size ?? 0;
  const log = openSync(paths.serverLog, 'a', 0o600);
  const child = spawn(process.execPath, [...process.execArgv, ...childArgs(config.runtime)], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, [fallbackEnv]: runtimeFallback ?? '' },
  });
  child.unref();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const info = runningInstance(paths.runtimeInfo);
    if (info && info.pid === child.pid) {
      console.log(readyLine(info));
      return;
    }
    if (child.pid === undefined || !isAlive(child.pid) || child.exitCode !== null) {
      const reason = errorsInLog(paths.serverLog, logStart).at(-1)?.slice('Error: '.length);
      throw new CliError(
        reason ? `${reason} (log: ${paths.serverLog})` : `skiff up failed to start; see ${paths.serverLog}`,
      );
    }
    await sleep(100);
  }
  throw new CliError(`skiff up did not become ready within 120 s; see ${paths.serverLog}`);
}

async function runForeground(config: SkiffConfig, runtimeFallback?: string): Promise<void> {
  const cluster = await startCluster(config, { runtimeFallback });
  console.log(readyLine(cluster.info));
  await new Promise<void>((resolve) => {
    const shutdown = () => resolve();
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  await cluster.stop();
  console.log('Skiff stopped.');
}

export function register(program: Command): void {
  program
    .command('up')
    .description('start the embedded cluster (kube API, EKS API, store)')
    .option('--data-dir <dir>', 'where Skiff keeps its state', defaultDataDir())
    .option('--name <name>', 'the EKS cluster name and kubeconfig context', defaults.name)
    .option('--region <region>', 'the AWS region the cluster reports', defaults.region)
    .option(
      '--host <address>',
      "address the kube and AWS APIs and the load balancers' listeners bind to",
      defaults.host,
    )
    .option('--port <port>', 'kube API port (HTTPS)', String(defaults.port))
    .option('--eks-port <port>', 'EKS API port', String(defaults.eksPort))
    .option(
      '--runtime <runtime>',
      'sandbox runtime: auto (process as root on Linux, installing what it lacks; else simulated), microvm, process or simulated',
      defaults.runtime,
    )
    .option('--node-monitor-grace-period <duration>', 'how long a node may miss heartbeats before it is Unknown', '50s')
    .option('--node-startup-grace-period <duration>', 'the same for a node that never posted status', '1m0s')
    .option('--no-merge-kubeconfig', 'do not merge the context into ~/.kube/config')
    .option(
      '--encryption-provider-config <file>',
      'EncryptionConfiguration file for encryption at rest (default: D/pki/encryption-config.yaml, made with a new aescbc key for Secrets)',
    )
    .option('-d, --detach', 'run in the background and return once ready')
    .action(async (opts) => {
      if (!['auto', 'microvm', 'process', 'simulated'].includes(opts.runtime)) {
        throw new CliError(`--runtime must be one of auto, microvm, process, simulated; got "${opts.runtime}"`);
      }
      const config: SkiffConfig = {
        dataDir: opts.dataDir,
        name: opts.name,
        region: opts.region,
        host: opts.host,
        port: parsePort(opts.port, '--port'),
        eksPort: parsePort(opts.eksPort, '--eks-port'),
        runtime: opts.runtime as RuntimeName,
        mergeKubeconfig: opts.mergeKubeconfig,
        ...(opts.encryptionProviderConfig ? { encryptionProviderConfig: resolve(opts.encryptionProviderConfig) } : {}),
        nodeGracePeriods: {
          monitorMs: parseDurationFlag(opts.nodeMonitorGracePeriod, '--node-monitor-grace-period'),
          startupMs: parseDurationFlag(opts.nodeStartupGracePeriod, '--node-startup-grace-period'),
        },
      };
      const running = runningInstance(dataPaths(config.dataDir).runtimeInfo);
      if (running)
        throw new CliError(
          `Skiff is already running from ${config.dataDir} (pid ${running.pid}); run "skiff down" first`,
        );
      await checkPortFree({ host: config.host, port: config.port, flag: '--port' });
      await checkPortFree({ host: config.host, port: config.eksPort, flag: '--eks-port' });
      const choice = await chooseRuntime(config.runtime);
      config.runtime = choice.runtime;
      const fallback = choice.fallback ?? (process.env[fallbackEnv] || undefined);
      if (opts.detach) await runDetached(config, fallback);
      else await runForeground(config, fallback);
    });
}
