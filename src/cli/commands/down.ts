// `skiff down`: stops the running cluster of a data dir (SIGTERM, then SIGKILL after a grace period) and waits
// until its process is gone. Only the process D/skiff.json records is signalled — the same PID, command line and
// start time; a stale file whose PID another process now holds is removed and that process left alone.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { isSameProcess } from '../cluster/process-identity.js';
import { isAlive, readRuntimeInfo, removeRuntimeInfo, runningInstance } from '../cluster/runtime-info.js';
import { dataPaths, defaultDataDir } from '../config.js';

export async function stopInstance(dataDir: string, graceMs = 20_000): Promise<number | undefined> {
  const paths = dataPaths(dataDir);
  const running = runningInstance(paths.runtimeInfo);
  if (!running) {
    if (readRuntimeInfo(paths.runtimeInfo)) removeRuntimeInfo(paths.runtimeInfo);
    return undefined;
  }
  const alive = () => isAlive(running.pid) && isSameProcess(running.pid, running.process ?? {});
  process.kill(running.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await sleep(50);
  if (alive()) process.kill(running.pid, 'SIGKILL');
  while (alive()) await sleep(20);
  removeRuntimeInfo(paths.runtimeInfo);
  return running.pid;
}

export function register(program: Command): void {
  program
    .command('down')
    .description('stop the running cluster')
    .option('--data-dir <dir>', 'where Skiff keeps its state', defaultDataDir())
    .action(async (opts) => {
      const pid = await stopInstance(opts.dataDir);
      console.log(pid ? `Skiff stopped (pid ${pid}).` : `Skiff is not running from ${opts.dataDir}.`);
    });
}
