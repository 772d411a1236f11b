// The store's entry point: open a backend by kind, and the types and errors the API layers program against.
import { MemoryBackend } from './memory.js';
import { SqliteBackend } from './sqlite.js';
import type { Backend } from './types.js';

export interface StoreOptions {
  kind: 'sqlite' | 'memory';
  /** For sqlite: the data directory (the file is `<path>/state.db`) or a file path ending in `.db`. */
  path?: string;
}

export async function openStore(options: StoreOptions): Promise<Backend> {
  if (options.kind === 'memory') return new MemoryBackend();
  if (!options.path) throw new Error('the sqlite store needs a path: the data directory or a .db file');
  return SqliteBackend.open(options.path);
}

export { type Compactor, type CompactorOptions, startCompactor } from './compactor.js';
export * from './errors.js';
export { MemoryBackend } from './memory.js';
export { SqliteBackend } from './sqlite.js';
export * from './types.js';
