// Reads a container's CRI log (rotated files first, then the live one) the way `kubectl logs` asks for it:
// tail N lines, since a time, with or without timestamps, and follow (polling, surviving rotation and reopen).
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type LogLine, logTimeMs, parseLogLine } from './format.js';

export interface ReadLogOptions {
  tail?: number;
  /** Only lines at or after this time (ms since the epoch). */
  sinceMs?: number;
  timestamps?: boolean;
  follow?: boolean;
  stream?: 'stdout' | 'stderr' | 'all';
  signal?: AbortSignal;
  pollMs?: number;
}

/** The rotated files of `path` (`<path>.<stamp>`, uncompressed), oldest first. */
export function rotatedFiles(path: string): string[] {
  const prefix = `${basename(path)}.`;
  try {
    return readdirSync(dirname(path))
      .filter((f) => f.startsWith(prefix) && !f.endsWith('.gz') && !f.endsWith('.tmp'))
      .sort()
      .map((f) => join(dirname(path), f));
  } catch {
    return [];
  }
}

/** Joins partial lines and renders complete ones as kubectl shows them. */
class Assembler {
  private pending = '';
  constructor(private readonly options: ReadLogOptions) {}

  push(raw: string): string | undefined {
    const line = parseLogLine(raw);
    if (!line) return undefined;
    if (this.options.stream && this.options.stream !== 'all' && line.stream !== this.options.stream) return undefined;
    if (line.partial) {
      this.pending += line.text;
      return undefined;
    }
    const full: LogLine = { ...line, text: this.pending + line.text };
    this.pending = '';
    if (this.options.sinceMs !== undefined && logTimeMs(full.time) < this.options.sinceMs) return undefined;
    return this.options.timestamps ? `${full.time} ${full.text}\n` : `${full.text}\n`;
  }
}

function linesOf(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** Yields the log's lines as text chunks (each ending in a newline). */
export async function* readContainerLog(path: string, options: ReadLogOptions = {}): AsyncGenerator<string> {
  const assembler = new Assembler(options);
  const all: string[] = [];
  for (const file of rotatedFiles(path)) for (const raw of linesOf(file)) pushTo(all, assembler.push(raw));
  let offset = 0;
  let inode = 0;
  try {
    const content = readFileSync(path);
    const stat = statSync(path);
    inode = stat.ino;
    const text = content.toString('utf8');
    const end = text.lastIndexOf('\n') + 1;
    offset = Buffer.byteLength(text.slice(0, end));
    for (const raw of text.slice(0, end).split('\n').filter(Boolean)) pushTo(all, assembler.push(raw));
  } catch {}
  const start = options.tail !== undefined && options.tail >= 0 ? Math.max(0, all.length - options.tail) : 0;
  for (let i = start; i < all.length; i++) yield all[i]!;
  if (!options.follow) return;
  let carry = '';
  // Once aborted (the instance exited), one last read takes what it wrote just before.
  let aborted = false;
  while (!aborted) {
    await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
    aborted = Boolean(options.signal?.aborted);
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      continue;
    }
    if (stat.ino !== inode || stat.size < offset) {
      inode = stat.ino;
      offset = 0;
      carry = '';
    }
    if (stat.size === offset) continue;
    const fd = openSync(path, 'r');
    const buffer = Buffer.alloc(stat.size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    closeSync(fd);
    offset = stat.size;
    const text = carry + buffer.toString('utf8');
    const end = text.lastIndexOf('\n') + 1;
    carry = text.slice(end);
    for (const raw of text.slice(0, end).split('\n').filter(Boolean)) {
      const out = assembler.push(raw);
      if (out !== undefined) yield out;
    }
  }
}

function pushTo(list: string[], line: string | undefined): void {
  if (line !== undefined) list.push(line);
}

/** The whole (non-follow) log as one string. */
export async function readContainerLogText(
  path: string,
  options: Omit<ReadLogOptions, 'follow'> = {},
): Promise<string> {
  let out = '';
  for await (const chunk of readContainerLog(path, options)) out += chunk;
  return out;
}
