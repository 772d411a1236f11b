// MemoryBackend: the store held in process memory, for tests and throwaway clusters. The log is an array in
// revision order plus each key's versions; it has the same semantics as the SQLite backend and nothing survives.
import { compareKeys } from './keys.js';
import type { HistoryRow, Log, LogRow } from './log.js';
import { LogBackend } from './log-backend.js';

/** Index of the first row with a revision above `revision` in rows sorted by revision. */
function firstAfter(rows: LogRow[], revision: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid].revision <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class MemoryLog implements Log {
  private rows: LogRow[] = [];
  private readonly byRevision = new Map<number, LogRow>();
  private readonly versions = new Map<string, LogRow[]>();
  private last = 0;
  private compacted = 0;

  lastRevision(): number {
    return this.last;
  }

  compactedRevision(): number {
    return this.compacted;
  }

  live(key: string): LogRow | undefined {
    const latest = this.versions.get(key)?.at(-1);
    return latest && !latest.deleted ? latest : undefined;
  }

  isLive(key: string): boolean {
    return this.live(key) !== undefined;
  }

  atomically<T>(fn: () => T): T {
    return fn(); // append is the last step of every write, so a throw leaves nothing behind
  }

  durable(): undefined {
    return undefined; // nothing is kept
  }

  append(row: LogRow): void {
    const { revision, key, value, createRevision, prevRevision, deleted } = row;
    const stored = { revision, key, value, createRevision, prevRevision, deleted };
    this.rows.push(stored);
    this.byRevision.set(revision, stored);
    const versions = this.versions.get(key);
    if (versions) versions.push(stored);
    else this.versions.set(key, [stored]);
    this.last = revision;
  }

  listAt(prefix: string, revision: number, startAfter: string | undefined, limit: number): LogRow[] {
    const keys = [...this.versions.keys()]
      .filter((k) => k.startsWith(prefix) && (startAfter === undefined || compareKeys(k, startAfter) > 0))
      .sort(compareKeys);
    const out: LogRow[] = [];
    for (const key of keys) {
      const versions = this.versions.get(key)!;
      const row = versions[firstAfter(versions, revision) - 1];
      if (row && !row.deleted) out.push(row);
      if (limit > 0 && out.length >= limit) break;
    }
    return out;
  }

  countLive(prefix: string): number {
    let n = 0;
    for (const [key, versions] of this.versions) if (key.startsWith(prefix) && !versions.at(-1)!.deleted) n++;
    return n;
  }

  history(prefix: string, afterRevision: number, limit: number): HistoryRow[] {
    const out: HistoryRow[] = [];
    for (let i = firstAfter(this.rows, afterRevision); i < this.rows.length && out.length < limit; i++) {
      const row = this.rows[i];
      if (!row.key.startsWith(prefix)) continue;
      const replaced = row.deleted || row.prevRevision === 0 ? undefined : this.byRevision.get(row.prevRevision);
      out.push(replaced ? { ...row, prevValue: replaced.value } : row);
    }
    return out;
  }

  markCompacted(revision: number): void {
    this.compacted = revision;
  }

  compactBatch(revision: number): number {
    for (const [key, versions] of this.versions) {
      const cut = firstAfter(versions, revision);
      const kept = versions[cut - 1];
      const keepFrom = kept && !kept.deleted ? cut - 1 : cut;
      for (const row of versions.slice(0, keepFrom)) this.byRevision.delete(row.revision);
      if (keepFrom === versions.length) this.versions.delete(key);
      else if (keepFrom > 0) this.versions.set(key, versions.slice(keepFrom));
    }
    this.rows = this.rows.filter((row) => this.byRevision.has(row.revision));
    return revision;
  }

  close(): void {
    this.rows = [];
    this.byRevision.clear();
    this.versions.clear();
  }
}

export class MemoryBackend extends LogBackend {
  constructor() {
    super(new MemoryLog());
  }
}
