// The log every backend keeps: one row per write in revision order, the primitives a backend must provide over it,
// and how rows become the KeyValues and WatchEvents of the Backend interface (types.ts).
import type { KeyValue, WatchEvent } from './types.js';

export interface LogRow {
  revision: number;
  key: string;
  /** For a delete (tombstone), the value of the version it deleted. */
  value: string;
  createRevision: number;
  /** The revision of the live version this row replaced; 0 for a create. */
  prevRevision: number;
  deleted: boolean;
}

/** A row as watch history carries it: for an update, the value of the version it replaced. */
export interface HistoryRow extends LogRow {
  prevValue?: string;
}

/** Synchronous storage primitives; LogBackend (log-backend.ts) builds the Backend semantics on them. */
export interface Log {
  lastRevision(): number;
  compactedRevision(): number;
  /** The key's live row, if it has one. */
  live(key: string): LogRow | undefined;
  /** Whether the key has a live row (without reading it). */
  isLive(key: string): boolean;
  /**
   * Runs `fn` as one transaction: everything it appended is visible at once, or nothing when it throws. A durable
   * log may commit several such transactions to disk together (durable() says when they are).
   */
  atomically<T>(fn: () => T): T;
  /** Settles once every transaction run so far is on disk; undefined when they already are (or nothing is kept). */
  durable(): Promise<void> | undefined;
  append(row: LogRow): void;
  /** Live rows under the prefix as of `revision`, keys ascending and after `startAfter`, at most `limit` (0: all). */
  listAt(prefix: string, revision: number, startAfter: string | undefined, limit: number): LogRow[];
  countLive(prefix: string): number;
  /** Rows under the prefix with revision above `afterRevision`, ascending, at most `limit`; updates carry prevValue. */
  history(prefix: string, afterRevision: number, limit: number): HistoryRow[];
  /** Records (durably, where the log is durable) that history at or below `revision` may be gone. */
  markCompacted(revision: number): void;
  /**
   * Removes one batch of the rows at or below `revision` that are not their key's latest live version as of it,
   * starting above `afterRevision`; returns the revision it got up to (`revision` when done).
   */
  compactBatch(revision: number, afterRevision: number): number;
  close(): void;
}

export function toKeyValue(row: LogRow): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.createRevision, modRevision: row.revision };
}

export function toEvent(row: HistoryRow): WatchEvent {
  const kv = toKeyValue(row);
  if (row.deleted) return { type: 'delete', kv, prevKv: { ...kv, modRevision: row.prevRevision } };
  if (row.prevRevision === 0) return { type: 'create', kv };
  if (row.prevValue === undefined) return { type: 'update', kv };
  return { type: 'update', kv, prevKv: { ...kv, value: row.prevValue, modRevision: row.prevRevision } };
}
