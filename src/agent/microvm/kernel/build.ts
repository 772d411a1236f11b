// The micro-VM guest kernel: Debian's linux-source-6.1 configured as `make tinyconfig` plus microvm.config (kept
// beside this file), built once per machine with `make vmlinux` and cached by the hash of the config, the source
// tarball and this recipe (~4 min on 2 cores, with a progress line). QEMU boots the uncompressed vmlinux via PVH.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { cached, cacheKey } from '../cache.js';

export const kernelSourceTarball = '/usr/src/linux-source-6.1.tar.xz';
export const kernelConfigPath = new URL('./microvm.config', import.meta.url).pathname;
/** The Debian packages the build needs, by the command each provides. */
export const kernelBuildPackages = ['linux-source-6.1', 'flex', 'bison', 'bc', 'libelf-dev', 'make', 'gcc', 'xz-utils'];
const recipe = 'tinyconfig+merge+olddefconfig+vmlinux/1';

function sh(script: string, cwd: string, log: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-ec', script], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      log.push(String(chunk));
      if (log.length > 200) log.splice(0, log.length - 200);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`building the micro-VM guest kernel failed (exit ${code}): ${log.join('').slice(-2000)}`));
    });
  });
}

/** The cache key of the kernel this host would build: config text, source tarball (size and time) and recipe. */
export function kernelKey(configText = readFileSync(kernelConfigPath, 'utf8'), tarball = kernelSourceTarball): string {
  const st = statSync(tarball);
  return cacheKey(configText, `${st.size}:${st.mtimeMs}`, recipe);
}

/** The path of the guest vmlinux, building it first when this machine has none for the current config. */
export async function ensureGuestKernel(say: (line: string) => void = () => {}): Promise<string> {
  if (!existsSync(kernelSourceTarball)) {
    throw new Error(
      `the micro-VM guest kernel is built from Debian's linux-source-6.1, and ${kernelSourceTarball} is missing: apt-get install ${kernelBuildPackages.join(' ')}`,
    );
  }
  const configText = readFileSync(kernelConfigPath, 'utf8');
  return cached('kernel', kernelKey(configText), 'vmlinux', async (dir) => {
    say('skiff: building the micro-VM guest kernel (first use, ~4 min)…');
    const log: string[] = [];
    const jobs = Math.max(1, cpus().length);
    await sh(`tar -xf ${kernelSourceTarball}`, dir, log);
    const src = join(dir, 'linux-source-6.1');
    copyFileSync(kernelConfigPath, join(dir, 'microvm.config'));
    await sh(
      'make tinyconfig >/dev/null && scripts/kconfig/merge_config.sh -m .config ../microvm.config >/dev/null && make olddefconfig >/dev/null',
      src,
      log,
    );
    await sh(`make -j${jobs} vmlinux >/dev/null && make -s kernelrelease > ../release`, src, log);
    copyFileSync(join(src, 'vmlinux'), join(dir, 'vmlinux'));
    copyFileSync(join(src, '.config'), join(dir, 'config'));
    rmSync(src, { recursive: true, force: true });
  });
}

/** The guest kernel's release (what `uname -r` prints in a VM), kept beside its vmlinux. */
export function guestKernelRelease(vmlinux: string): string | undefined {
  try {
    return readFileSync(join(dirname(vmlinux), 'release'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** "7.2.22" from `qemu-system-x86_64 --version`. */
export function qemuVersion(): string {
  try {
    const text = execFileSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' });
    return /version (\S+)/.exec(text)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
