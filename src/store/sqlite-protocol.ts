// What SqliteLog (sqlite.ts) and its writer thread (sqlite-writer.ts) say to each other.

/** A row as sent to the writer: revision, key, value, create revision, previous revision, deleted (1 or 0). */
export type WriterRow = [number, string, string, number, number, 0 | 1];

export type WriterRequest = { id: number } & (
  | { op: 'commit'; rows: WriterRow[] }
  | { op: 'markCompacted'; revision: number }
  | { op: 'compactBatch'; revision: number; afterRevision: number; batchSize: number }
  | { op: 'pragma'; text: string }
  | { op: 'close' }
);

/** The answer to request `id`: its value, or the message of the error it failed with. */
export interface WriterReply {
  id: number;
  value?: unknown;
  error?: string;
}

export interface WriterSetup {
  file: string;
  /** Bumped by the writer after each answer (Atomics.notify), for a caller waiting synchronously. */
  signal: Int32Array;
  idleCheckpointMs: number;
  inlineCheckpointPages: number;
}
