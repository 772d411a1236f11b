// The kubelet's AtomicWriter: a volume's files live in a timestamped directory `..2026_12_05_11_09_42.123456789`,
// `..data` points at it, and each top-level name the user sees is a symlink through `..data`. An update writes a
// new directory and swaps `..data` with one rename, so a reader sees the old set or the new set, never a mix; an
// unchanged payload writes nothing. With a gid (fsGroup), files and directories are handed to that group.
import {
  chmodSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, normalize } from 'node:path';

export interface FileProjection {
  data: Buffer;
  /** Permission bits (0o644 by default in every plugin). */
  mode: number;
}

export type Payload = Map<string, FileProjection>;

export interface WriteOptions {
  /** fsGroup: files and directories owned by this group, group-readable (and group-writable unless read-only). */
  gid?: number;
  readOnly?: boolean;
}

const dataDirName = '..data';
const newDataDirName = '..data_tmp';

/** The kubelet's path checks: relative, no `..` element, no leading `..`, not empty, at most 4096 bytes. */
export function validatePath(path: string): string | undefined {
  if (path.length === 0) return 'invalid path: must not be empty';
  if (path.length > 4096) return `invalid path: must be less than or equal to 4096 characters`;
  if (path.startsWith('/')) return `invalid path: must be relative path: ${path}`;
  if (path.split('/').includes('..')) return `invalid path: must not contain '..': ${path}`;
  if (path.startsWith('..')) return `invalid path: must not start with '..': ${path}`;
  return undefined;
}

function timestampDirName(): string {
  const now = new Date();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const nanos = `${pad(now.getUTCMilliseconds(), 3)}${String(process.hrtime.bigint() % 1_000_000n).padStart(6, '0')}`;
  return `..${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}.${nanos}`;
}

function currentDataDir(dir: string): string | undefined {
  try {
    return readlinkSync(join(dir, dataDirName));
  } catch {
    return undefined;
  }
}

function unchanged(dir: string, current: string | undefined, payload: Payload): boolean {
  if (!current) return false;
  const base = join(dir, current);
  const files = new Set<string>();
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(base, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else files.add(path);
    }
  };
  try {
    walk('');
  } catch {
    return false;
  }
  if (files.size !== payload.size) return false;
  for (const [path, file] of payload) {
    if (!files.has(normalize(path))) return false;
    const full = join(base, path);
    if ((statSync(full).mode & 0o7777) !== (file.mode & 0o7777)) return false;
    if (!readFileSync(full).equals(file.data)) return false;
  }
  return true;
}

function chownToGroup(path: string, gid: number, readOnly: boolean): void {
  const stat = lstatSync(path);
  lchownSync(path, stat.uid, gid);
  if (stat.isSymbolicLink()) return;
  let mode = stat.mode & 0o7777;
  mode |= readOnly ? 0o440 : 0o660;
  if (stat.isDirectory()) mode |= 0o110 | 0o2000;
  chmodSync(path, mode);
}

/** Writes the payload into `dir` as the kubelet does; true when something changed. */
export function writeAtomic(dir: string, payload: Payload, options: WriteOptions = {}): boolean {
  for (const path of payload.keys()) {
    const error = validatePath(path);
    if (error) throw new Error(error);
  }
  mkdirSync(dir, { recursive: true });
  const current = currentDataDir(dir);
  if (unchanged(dir, current, payload)) return false;

  const tsDir = timestampDirName();
  const tsPath = join(dir, tsDir);
  mkdirSync(tsPath, { mode: 0o755 });
  chmodSync(tsPath, 0o755);
  for (const [path, file] of payload) {
    const full = join(tsPath, path);
    mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
    writeFileSync(full, file.data);
    chmodSync(full, file.mode & 0o7777);
  }
  if (options.gid !== undefined) {
    const walk = (path: string) => {
      chownToGroup(path, options.gid!, options.readOnly ?? true);
      if (lstatSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    };
    walk(tsPath);
  }

  const tmpLink = join(dir, newDataDirName);
  rmSync(tmpLink, { force: true });
  symlinkSync(tsDir, tmpLink);
  renameSync(tmpLink, join(dir, dataDirName));

  const visible = new Set([...payload.keys()].map((path) => normalize(path).split('/')[0]!));
  for (const name of visible) {
    const link = join(dir, name);
    let exists = false;
    try {
      exists = lstatSync(link).isSymbolicLink();
    } catch {}
    if (!exists) symlinkSync(join(dataDirName, name), link);
  }
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('..') || visible.has(entry)) continue;
    rmSync(join(dir, entry), { recursive: true, force: true });
  }
  if (current && current !== tsDir) rmSync(join(dir, current), { recursive: true, force: true });
  return true;
}
