// Keeps the data dir private to the user who runs Skiff: the dir itself and every folder under it 0700, every file
// 0600 (an owner's execute bit is kept), checked and corrected at each start — state.db is made 0600 before SQLite
// opens it, so its WAL and SHM, which SQLite creates with the database's mode, are too. What the container engine
// and the pods own (`containerd/`, `sandboxes/`: image layers, container root filesystems, pod volumes) keeps the
// modes images and pod specs give it; their own folders are 0700, so no other user reaches them either.
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataPaths } from '../config.js';

/** Folders under the data dir whose contents are the container engine's and the pods'. */
const foreign = new Set(['containerd', 'sandboxes']);

function correct(path: string, depth: number): void {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    return; // gone meanwhile
  }
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o7777) !== 0o700) chmodSync(path, 0o700);
    if (depth === 1 && foreign.has(path.split('/').at(-1)!)) return;
    for (const entry of readdirSync(path)) correct(join(path, entry), depth + 1);
  } else if (stat.isFile() && (stat.mode & 0o077) !== 0) {
    chmodSync(path, stat.mode & 0o700);
  }
}

/** Makes `paths.root` (and its logs/ folder and state.db) exist and be private; corrects everything under it. */
export function makeDataDirPrivate(paths: Pick<DataPaths, 'root' | 'logs' | 'state'>): void {
  mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
  closeSync(openSync(paths.state, 'a', 0o600));
  correct(paths.root, 0);
}

/** A folder of the data dir made later (a created cluster's): itself and its state.db private before SQLite opens it. */
export function makeFolderPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  closeSync(openSync(join(dir, 'state.db'), 'a', 0o600));
  correct(dir, 0); // its sandboxes/ are the pods', as at the top
}
