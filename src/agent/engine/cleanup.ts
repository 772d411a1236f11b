// What stopping the engine must leave behind: nothing. Finds and removes the leftovers of Skiff's containerd by their
// paths and names: shim processes serving our socket, mounts under our data dir, and our cgroup parents.
import { readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { waitForExit } from './containerd/supervisor.js';
import { run } from './network/run.js';
import type { EnginePaths } from './paths.js';

/** PIDs of processes whose command line mentions `needle` (e.g. shims started with `-address <our socket>`). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(needle)) pids.push(Number(name));
    } catch {}
  }
  return pids;
}

export async function killShims(paths: EnginePaths): Promise<void> {
  const pids = processesMentioning(paths.socket);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  await Promise.all(pids.map((pid) => waitForExit(pid, 5000)));
}

/** Mount points at or under `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .map((p) => p.replace(/\\(\d{3})/g, (_, o) => String.fromCharCode(Number.parseInt(o, 8))))
    .filter((p) => p === dir || p.startsWith(`${dir}/`));
  return [...new Set(mounts)].sort((a, b) => b.length - a.length);
}

export async function unmountAll(dir: string): Promise<void> {
  for (const mount of mountsUnder(dir)) await run('umount', ['-l', mount]).catch(() => {});
}

function removeTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeTree(join(dir, entry.name));
  }
  rmdirSync(dir);
}

/** Removes `parent` (cgroupfs path) from every cgroup hierarchy, children first. */
export function removeCgroups(parent: string): void {
  let hierarchies: string[] = [];
  try {
    hierarchies = readdirSync('/sys/fs/cgroup').map((h) => join('/sys/fs/cgroup', h));
  } catch {
    return;
  }
  for (const root of [...hierarchies, '/sys/fs/cgroup']) {
    const dir = join(root, parent);
    try {
      if (statSync(dir).isDirectory()) removeTree(dir);
    } catch {}
  }
}
