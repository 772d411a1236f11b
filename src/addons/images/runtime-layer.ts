// The add-on images' runtime layer, taken from this host: the `node` binary and the shared libraries `ldd` lists
// for it (the dynamic loader included), each at the path the host has it, plus /tmp.
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import type { TarEntry } from '../../agent/engine/oci/tar.js';

/** The absolute paths `ldd` prints for a binary (vdso has none); none for a static one. */
export function sharedLibraries(binary: string): string[] {
  let out: string;
  try {
    out = execFileSync('ldd', [binary], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // A statically linked node needs no libraries: ldd says so and exits 1.
    const said = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
    if (/not a dynamic executable/.test(said)) return [];
    throw error;
  }
  const paths = [...out.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((m) => m[1]!);
  return [...new Set(paths)];
}

/** Directory entries for every parent of `path` not yet in `seen`. */
function parents(path: string, seen: Set<string>): TarEntry[] {
  const out: TarEntry[] = [];
  const parts = path.split('/').filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (seen.has(dir)) continue;
    seen.add(dir);
    out.push({ path: dir, type: 'dir' });
  }
  return out;
}

export interface RuntimeFiles {
  node: string;
  libraries: string[];
}

export function hostRuntime(): RuntimeFiles {
  const node = realpathSync(process.execPath);
  return { node, libraries: sharedLibraries(node) };
}

export function runtimeLayer(files: RuntimeFiles): TarEntry[] {
  const seen = new Set<string>();
  const entries: TarEntry[] = [];
  const add = (target: string, source: string) => {
    const path = target.replace(/^\//, '');
    entries.push(...parents(path, seen), { path, type: 'file', mode: 0o755, content: readFileSync(source) });
  };
  add('/usr/bin/node', files.node);
  for (const lib of files.libraries) add(lib, lib);
  entries.push({ path: 'tmp', type: 'dir', mode: 0o1777 });
  return entries;
}
