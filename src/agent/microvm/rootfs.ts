// A container's root filesystem for a micro-VM, from Skiff's containerd: the image's snapshot prepared writable and
// mounted on the host under the pod's share (`ctr images mount --rw`, removed again with `ctr images unmount
// --rm`), the image's OCI config (entrypoint, cmd, env, working dir, user) read from the content store, and the
// process containerd would start from the two, as CRI's container spec builder merges them with the pod's.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mountsUnder } from '../engine/cleanup.js';
import { run, tryRun } from '../engine/network/run.js';

export const criNamespace = 'k8s.io';

export interface ImageConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
}

const ctr = (socket: string, args: string[]) => run('ctr', ['--address', socket, '--namespace', criNamespace, ...args]);

const configs = new Map<string, Promise<ImageConfig>>();

/** The image's OCI config (its ID is the config's digest, so a config read once is kept: content never changes). */
export function imageConfig(socket: string, imageId: string): Promise<ImageConfig> {
  const key = `${socket}\0${imageId}`;
  let config = configs.get(key);
  if (!config) {
    config = ctr(socket, ['content', 'get', imageId]).then((text) => (JSON.parse(text).config ?? {}) as ImageConfig);
    configs.set(key, config);
    config.catch(() => configs.delete(key));
  }
  return config;
}

/** Prepares a writable snapshot of the image and mounts it at `target`. */
export async function mountRootfs(socket: string, imageId: string, target: string): Promise<void> {
  await unmountRootfs(socket, target);
  mkdirSync(target, { recursive: true });
  await ctr(socket, ['images', 'mount', '--rw', imageId, target]);
}

/** Unmounts and removes the snapshot mounted at `target` (nothing when there is none). */
export async function unmountRootfs(socket: string, target: string): Promise<void> {
  if (!existsSync(target)) return;
  if (mountsUnder(target).length) await tryRun('umount', ['-R', target]);
  await tryRun('ctr', ['--address', socket, '--namespace', criNamespace, 'images', 'unmount', '--rm', target]);
  await tryRun('ctr', ['--address', socket, '--namespace', criNamespace, 'snapshots', 'rm', target]);
  await tryRun('ctr', ['--address', socket, '--namespace', criNamespace, 'leases', 'rm', target]);
  rmSync(target, { recursive: true, force: true });
}

/** argv as containerd's CRI builds it: the pod's command replaces the entrypoint (and the image's cmd with it). */
export function processArgs(image: ImageConfig, command?: string[], args?: string[]): string[] {
  if (command?.length) return [...command, ...(args ?? [])];
  return [...(image.Entrypoint ?? []), ...(args?.length ? args : (image.Cmd ?? []))];
}

/** The image's env overridden by the container's, in containerd's order. */
export function mergeEnv(image: string[], container: { key: string; value: string }[]): string[] {
  const merged = new Map<string, string>();
  for (const entry of image) {
    const eq = entry.indexOf('=');
    merged.set(eq < 0 ? entry : entry.slice(0, eq), eq < 0 ? '' : entry.slice(eq + 1));
  }
  for (const { key, value } of container) merged.set(key, value);
  return [...merged].map(([k, v]) => `${k}=${v}`);
}

function lookup(file: string, name: string): string[] | undefined {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.split(':'))
      .find((f) => f[0] === name || f[2] === name);
  } catch {
    return undefined;
  }
}

/** uid, gid and the extra groups the container's user gets, from its spec or the image's User and /etc/passwd. */
export function resolveUser(
  rootfs: string,
  imageUser: string | undefined,
  runAsUser?: number,
  runAsGroup?: number,
  supplementalGroups: number[] = [],
): { uid: number; gid: number; groups: number[] } {
  const [userPart = '', groupPart] = (imageUser ?? '').split(':');
  let uid = 0;
  let gid = 0;
  let name: string | undefined;
  if (runAsUser !== undefined) {
    uid = runAsUser;
    const entry = lookup(join(rootfs, 'etc/passwd'), String(uid));
    gid = entry ? Number(entry[3]) : 0;
    name = entry?.[0];
  } else if (userPart) {
    const entry = lookup(join(rootfs, 'etc/passwd'), userPart);
    if (/^\d+$/.test(userPart)) uid = Number(userPart);
    else if (entry) uid = Number(entry[2]);
    else throw new Error(`unable to find user ${userPart}: no matching entries in passwd file`);
    gid = entry ? Number(entry[3]) : 0;
    name = entry?.[0];
  }
  if (runAsGroup !== undefined) gid = runAsGroup;
  else if (groupPart) {
    const entry = lookup(join(rootfs, 'etc/group'), groupPart);
    gid = /^\d+$/.test(groupPart) ? Number(groupPart) : Number(entry?.[2] ?? 0);
  }
  const groups = new Set<number>([gid, ...supplementalGroups]);
  if (name) {
    try {
      for (const line of readFileSync(join(rootfs, 'etc/group'), 'utf8').split('\n')) {
        const f = line.split(':');
        if (f[3]?.split(',').includes(name)) groups.add(Number(f[2]));
      }
    } catch {}
  }
  return { uid, gid, groups: [...groups].filter((g) => Number.isInteger(g)) };
}
