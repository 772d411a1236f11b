// The pod's open-files limit, soft 1024 / hard 65535 as on Fargate, set on a started container's main process with
// prlimit (the CRI has no rlimits). Without CAP_SYS_RESOURCE no process may raise a hard limit past its own, so the
// hard limit is clamped to the agent's. Children the process forked before this ran keep the inherited limits.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../engine/network/run.js';

export const nofileSoft = 1024;
export const nofileHard = 65535;

let ownHard: number | undefined;

/** This process's hard RLIMIT_NOFILE, from /proc/self/limits (Infinity when unlimited). */
async function ownNofileHard(): Promise<number> {
  if (ownHard !== undefined) return ownHard;
  const limits = await readFile('/proc/self/limits', 'utf8');
  const line = limits.split('\n').find((l) => l.startsWith('Max open files'));
  const hard = line?.trim().split(/\s+/)[4];
  ownHard = hard === undefined ? nofileSoft : hard === 'unlimited' ? Infinity : Number(hard);
  return ownHard;
}

/** The container's main process ID, from the runc shim's bundle under containerd's state dir. */
export async function containerPid(stateDir: string, id: string): Promise<number | undefined> {
  const file = join(stateDir, 'io.containerd.runtime.v2.task', 'k8s.io', id, 'init.pid');
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  return pid > 0 ? pid : undefined;
}

export async function applyRlimits(stateDir: string, id: string): Promise<void> {
  const pid = await containerPid(stateDir, id);
  if (!pid) return;
  const hard = Math.min(nofileHard, await ownNofileHard());
  const soft = Math.min(nofileSoft, hard);
  await run('prlimit', ['--pid', String(pid), `--nofile=${soft}:${hard}`]);
}
