// Where the micro-VM guest's build products live: ~/.cache/skiff/microvm/<key>/ (XDG_CACHE_HOME when set), outside
// any data dir so that every cluster and CI run on the machine shares one kernel and one init. A product is built
// into a temporary dir beside its final place and renamed into it, so a killed build never leaves half a product,
// and a product in place is never replaced (a micro-VM template's files are mapped by running VMs).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function microvmCacheDir(env = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'skiff', 'microvm');
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function cacheKey(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** `<cache>/<name>-<key>/<file>`, made by `build(tmpDir)` (which must write `<tmpDir>/<file>`) when missing. */
export async function cached(
  name: string,
  key: string,
  file: string,
  build: (dir: string) => Promise<void>,
  cacheDir = microvmCacheDir(),
): Promise<string> {
  const dir = join(cacheDir, `${name}-${key}`);
  const product = join(dir, file);
  if (existsSync(product)) return product;
  mkdirSync(cacheDir, { recursive: true });
  // Builds a killed process left behind (their pid no longer runs) go first: a kernel tree is over a gigabyte.
  for (const entry of readdirSync(cacheDir)) {
    const pid = Number(/\.build-(\d+)$/.exec(entry)?.[1]);
    if (pid && !running(pid)) rmSync(join(cacheDir, entry), { recursive: true, force: true });
  }
  const tmp = `${dir}.build-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await build(tmp);
    if (!existsSync(join(tmp, file))) throw new Error(`building ${name} made no ${file}`);
    // Another process may have finished the same product meanwhile: its copy stays (running VMs may map it).
    if (existsSync(product)) return product;
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return product;
}
