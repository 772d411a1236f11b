// The micro-VM guest's userland: skiff-init.c (beside this file) compiled with the system's gcc as one static
// binary, packed as /init in an uncompressed initramfs (cpio "newc") with /dev/console, cached by the hash of the
// source and compiler. The kernel runs it as PID 1.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cached, cacheKey } from '../cache.js';

export const guestSourcePath = new URL('./skiff-init.c', import.meta.url).pathname;
const run = promisify(execFile);

interface CpioEntry {
  name: string;
  mode: number;
  data?: Buffer;
  rdev?: [number, number];
}

const hex = (n: number) => n.toString(16).padStart(8, '0');
const pad4 = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);

/** A cpio archive in the "newc" format the kernel unpacks as its initramfs. */
export function cpioNewc(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  for (const e of [...entries, { name: 'TRAILER!!!', mode: 0 }]) {
    const data: Buffer = (e as CpioEntry).data ?? Buffer.alloc(0);
    const [major, minor] = (e as CpioEntry).rdev ?? [0, 0];
    const name = Buffer.from(`${e.name}\0`);
    const fields = [ino++, e.mode, 0, 0, 1, 0, data.length, 0, 0, major, minor, name.length, 0];
    const header = Buffer.from(`070701${fields.map(hex).join('')}`);
    parts.push(header, name, pad4(header.length + name.length), data, pad4(data.length));
  }
  return Buffer.concat(parts);
}

/** The initramfs holding the compiled skiff-init as /init; built when this machine has none for this source. */
export async function ensureGuestInitramfs(): Promise<string> {
  const source = readFileSync(guestSourcePath);
  const { stdout: compiler } = await run('gcc', ['--version']).catch(() => ({ stdout: 'gcc missing' }));
  return cached('init', cacheKey(source, compiler), 'initramfs.cpio', async (dir) => {
    const binary = join(dir, 'skiff-init');
    await run('gcc', ['-static', '-Os', '-Wall', '-o', binary, guestSourcePath]).catch((error) => {
      throw new Error(`compiling the micro-VM guest init (gcc -static) failed: ${error.stderr || error.message}`);
    });
    const archive = cpioNewc([
      { name: 'dev', mode: 0o40755 },
      { name: 'dev/console', mode: 0o20600, rdev: [5, 1] },
      { name: 'proc', mode: 0o40555 },
      { name: 'sys', mode: 0o40555 },
      { name: 'init', mode: 0o100755, data: readFileSync(binary) },
    ]);
    writeFileSync(join(dir, 'initramfs.cpio'), archive);
  });
}
