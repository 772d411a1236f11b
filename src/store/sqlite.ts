// SqliteBackend: the store in one SQLite file (better-sqlite3, WAL). `log` holds one row per write (kine's shape),
// `current` points each live key at its latest row, `meta` keeps the compacted revision. The file is written by a
// thread of its own (sqlite-writer.ts, with its own connection): inserts, commits and checkpoints were ~20 % of the
// API's thread at 10,000 pods at once. This thread reads the file through a second connection and keeps what the
// writer has not committed yet in memory, so the Log primitives stay synchronous: nothing interleaves with a write.
// One process owns the store at a time: it holds an exclusive lock on `<file>.owner` until it closes it (or ends),
// and another process opening the store gets SQLITE_BUSY.
//
// Durability: with journal_mode=WAL and synchronous=NORMAL a commit is appended to the WAL with write(2) before
// the writer answers, but not fsync'd. The bytes are then in the kernel's page cache, which outlives the process, so
// a committed write survives kill -9 (durability.test.ts checks it). Only an OS crash or power loss can drop the
// last commits, and WAL checksums keep the file consistent even then (SQLite's documented WAL guarantee).
//
// Group commit: the writes of one event-loop turn are one batch, sent to the writer once the turn's work is done
// (setImmediate) and committed there in one transaction. A write is visible to this process when it returns (its
// row is among the `unwritten` ones until the writer has committed it); it is on disk once `durable()` settles, and
// whatever leaves the process waits for that (the kube API's and EKS API's responses and watch streams). A write
// that throws takes back only its own rows. A commit the disk refuses (full, I/O error) rolls back that batch and
// every later one; `durable()` rejects and the store takes no more writes.
//
// Reads: every live key is in memory (a create's "is it live?" never reads the file), and so is the live row of
// each key written or read lately (bounded: the key written or first read longest ago goes first), so the reads
// every write makes of its own key and the API's read before an update skip SQLite. A list, a count, a watch's
// history or a compaction first waits until the writer has committed everything sent (Atomics.wait on the answer),
// then reads the file as it is.
//
// Checkpoints (copying the WAL back into the database file, with its fsyncs) happen in the writer: SQLite's
// automatic one once the WAL holds `inlineCheckpointPages`, and a passive one on a timer once writes have paused for
// a tick. Where a commit's bytes sit (WAL or database file) does not change what survives.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import { prefixEnd } from './keys.js';
import type { HistoryRow, Log, LogRow } from './log.js';
import { LogBackend } from './log-backend.js';
import type { WriterReply, WriterRequest, WriterRow, WriterSetup } from './sqlite-protocol.js';

const schema = `
CREATE TABLE IF NOT EXISTS log (
  revision INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  deleted INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS log_key_revision ON log (key, revision);
CREATE TABLE IF NOT EXISTS current (key TEXT PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

const columns = 'l.revision, l.key, l.value, l.create_revision, l.prev_revision, l.deleted';
const compactBatchSize = 2000;
/** Keys whose live row is kept in memory: ~16 k rows, some 60 MiB of pods at most. */
const recentRows = 16_384;
/** WAL pages (4 KiB) at which a commit checkpoints inline: a ceiling for long bursts, not the usual path. */
const inlineCheckpointPages = 10_000;
/** How often to look for a pause in writes to checkpoint in (by default). */
const idleCheckpointMs = 1000;

export interface SqliteOptions {
  /** How often to look for a pause in writes to checkpoint in (tests shorten it). */
  idleCheckpointMs?: number;
}

/** A selected row as an array, in the order of `columns`, then the replaced version's value for history. */
type SqlRow = [number, string, string, number, number, number, (string | null)?];

function fromSql([revision, key, value, createRevision, prevRevision, deleted, prevValue]: SqlRow): HistoryRow {
  const row: HistoryRow = { revision, key, value, createRevision, prevRevision, deleted: deleted === 1 };
  if (prevValue != null) row.prevValue = prevValue;
  return row;
}

/** `column` within the prefix's key range, as SQL that can use an index on it; binds @lo and @hi. */
function inPrefix(column: string, prefix: string): { sql: string; lo: string; hi: string | undefined } {
  const hi = prefixEnd(prefix);
  return { sql: `${column} >= @lo${hi === undefined ? '' : ` AND ${column} < @hi`}`, lo: prefix, hi };
}

/** A turn's rows, and the promise of their commit. */
interface Batch {
  rows: WriterRow[];
  keys: string[];
  sent: boolean;
  committed: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A row written and not yet committed by the writer (null: the key deleted), with the batch it is in. */
interface Unwritten {
  row: LogRow | null;
  batch: Batch;
}

/**
 * The writer thread, started from its module beside this one. Run from the TypeScript sources (tests, through tsx),
 * the thread registers tsx first: Node 20 does not hand a worker its parent's `--import` hooks.
 */
function startWriter(setup: WriterSetup & { port: MessagePort }): Worker {
  const options = { workerData: setup, transferList: [setup.port] };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sqlite-writer.js', import.meta.url), options);
  const source = JSON.stringify(new URL('./sqlite-writer.ts', import.meta.url).href);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return new Worker(`import(${tsx}).then(({ register }) => { register(); return import(${source}); })`, {
    ...options,
    eval: true,
  });
}

/** How long a caller waits for the writer before the store gives up on it. */
const writerTimeoutMs = 60_000;

class SqliteLog implements Log {
  private readonly statements = new Map<string, Database.Statement>();
  private last: number;
  private compacted: number;
  private readonly writer: Worker;
  private readonly port: MessagePort;
  /** Bumped by the writer after each answer. */
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 0;
  /** This turn's rows, not sent yet. */
  private batch?: Batch;
  /** Batches sent and not answered yet, by request id (in the order sent). */
  private readonly sent = new Map<number, Batch>();
  /** The last batch sent, until it is answered. */
  private lastSent?: Batch;
  /** Synchronous calls waiting for their answer, and the answers come. */
  private readonly calls = new Map<number, WriterReply | undefined>();
  /** Rows this process has written that the writer has not committed yet: what the file cannot show yet. */
  private readonly unwritten = new Map<string, Unwritten>();
  /** Inside atomically: the unwritten entries its appends replaced (and whether the key was live), to put back. */
  private undo?: [string, Unwritten | undefined, boolean][];
  /** Why the store takes no more writes: a commit the disk refused. */
  private failure?: StoreError;
  private writerRunning = true;
  /** Live rows of keys written or read lately, the longest ago first; null: the key is known not to be live. */
  private readonly recent = new Map<string, LogRow | null>();
  /** Every live key: a create's "is it live?" never reads the file (~60 bytes a key). */
  private readonly liveKeys: Set<string>;

  constructor(
    private readonly db: Database.Database,
    file: string,
    options: SqliteOptions = {},
  ) {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -32768');
    db.exec(schema);
    this.compacted =
      (this.sql('SELECT value FROM meta WHERE name = ?').pluck().get('compacted') as number | undefined) ?? 0;
    const maxRevision = this.sql('SELECT max(revision) FROM log').pluck().get() as number | null;
    this.last = Math.max(maxRevision ?? 0, this.compacted);
    this.liveKeys = new Set(this.sql('SELECT key FROM current').pluck().all() as string[]);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.port.on('message', (reply: WriterReply) => this.settle(reply));
    this.port.unref();
    const setup: WriterSetup & { port: MessagePort } = {
      file,
      port: port2,
      signal: this.signal,
      idleCheckpointMs: options.idleCheckpointMs ?? idleCheckpointMs,
      inlineCheckpointPages,
    };
    this.writer = startWriter(setup);
    this.writer.unref();
    this.writer.on('error', (error) => this.writerGone(`its writer stopped: ${error.message}`));
    this.writer.on('exit', (code) => this.writerGone(`its writer stopped with exit code ${code}`));
  }

  lastRevision(): number {
    return this.last;
  }

  compactedRevision(): number {
    return this.compacted;
  }

  live(key: string): LogRow | undefined {
    const unwritten = this.unwritten.get(key);
    if (unwritten) return unwritten.row ?? undefined;
    const known = this.recent.get(key);
    if (known !== undefined) return known ?? undefined;
    if (!this.liveKeys.has(key)) return undefined;
    const r = this.sql(`SELECT ${columns} FROM current c JOIN log l ON l.revision = c.revision WHERE c.key = ?`).get(
      key,
    );
    const row = r ? fromSql(r as SqlRow) : undefined;
    this.remember(key, row ?? null);
    return row;
  }

  isLive(key: string): boolean {
    return this.liveKeys.has(key);
  }

  private remember(key: string, row: LogRow | null): void {
    this.recent.delete(key);
    this.recent.set(key, row);
    if (this.recent.size > recentRows) this.recent.delete(this.recent.keys().next().value!);
  }

  atomically<T>(fn: () => T): T {
    if (this.failure) throw this.failure;
    const batch = this.batch ?? this.openBatch();
    const rowsBefore = batch.rows.length;
    const lastBefore = this.last;
    const undo: [string, Unwritten | undefined, boolean][] = [];
    this.undo = undo;
    try {
      return fn();
    } catch (error) {
      // What `fn` appended before it threw is taken back: the rows, their keys' unwritten and recent entries.
      batch.rows.length = rowsBefore;
      batch.keys.length = rowsBefore;
      for (let i = undo.length - 1; i >= 0; i--) {
        const [key, before, wasLive] = undo[i]!;
        if (before) this.unwritten.set(key, before);
        else this.unwritten.delete(key);
        if (wasLive) this.liveKeys.add(key);
        else this.liveKeys.delete(key);
        this.recent.delete(key);
      }
      this.last = lastBefore;
      throw error;
    } finally {
      this.undo = undefined;
    }
  }

  durable(): Promise<void> | undefined {
    return (this.batch ?? this.lastSent)?.committed;
  }

  append(row: LogRow): void {
    const batch = this.batch ?? this.openBatch();
    const { revision, key, value, createRevision, prevRevision, deleted } = row;
    batch.rows.push([revision, key, value, createRevision, prevRevision, deleted ? 1 : 0]);
    batch.keys.push(key);
    const live = deleted ? null : { revision, key, value, createRevision, prevRevision, deleted: false };
    this.undo?.push([key, this.unwritten.get(key), this.liveKeys.has(key)]);
    this.unwritten.set(key, { row: live, batch });
    if (deleted) this.liveKeys.delete(key);
    else this.liveKeys.add(key);
    this.remember(key, live);
    this.last = revision;
  }

  listAt(prefix: string, revision: number, startAfter: string | undefined, limit: number): LogRow[] {
    this.flush();
    const params = { rev: revision, after: startAfter ?? '', limit: limit > 0 ? limit : -1 };
    const after = (column: string) => (startAfter === undefined ? '' : `AND ${column} > @after`);
    if (revision === this.last) {
      const range = inPrefix('c.key', prefix);
      const sql = `SELECT ${columns} FROM current c JOIN log l ON l.revision = c.revision
        WHERE ${range.sql} ${after('c.key')} ORDER BY c.key LIMIT @limit`;
      return (this.sql(sql).all({ ...range, ...params }) as SqlRow[]).map(fromSql);
    }
    // As of an older revision: each key's latest row at or below it, when that row is not a tombstone.
    const range = inPrefix('l.key', prefix);
    const sql = `SELECT ${columns} FROM log l
      WHERE ${range.sql} ${after('l.key')} AND l.revision <= @rev AND l.deleted = 0
        AND NOT EXISTS (SELECT 1 FROM log n WHERE n.key = l.key AND n.revision > l.revision AND n.revision <= @rev)
      ORDER BY l.key LIMIT @limit`;
    return (this.sql(sql).all({ ...range, ...params }) as SqlRow[]).map(fromSql);
  }

  countLive(prefix: string): number {
    this.flush();
    const range = inPrefix('key', prefix);
    return this.sql(`SELECT count(*) FROM current WHERE ${range.sql}`).pluck().get(range) as number;
  }

  history(prefix: string, afterRevision: number, limit: number): HistoryRow[] {
    this.flush();
    // `+l.key` keeps the planner on the revision (rowid) range: replays start from recent revisions.
    const range = inPrefix('+l.key', prefix);
    const sql = `SELECT ${columns}, p.value AS prev_value FROM log l
      LEFT JOIN log p ON p.revision = l.prev_revision AND l.deleted = 0
      WHERE l.revision > @after AND ${range.sql} ORDER BY l.revision LIMIT @limit`;
    return (this.sql(sql).all({ ...range, after: afterRevision, limit }) as SqlRow[]).map(fromSql);
  }

  markCompacted(revision: number): void {
    if (this.failure) throw this.failure;
    this.call({ op: 'markCompacted', revision });
    this.compacted = revision;
  }

  compactBatch(revision: number, afterRevision: number): number {
    if (this.failure) throw this.failure;
    return this.call({ op: 'compactBatch', revision, afterRevision, batchSize: compactBatchSize }) as number;
  }

  /** A pragma run on the writer's connection (tests: a disk that refuses writes). */
  writerPragma(text: string): unknown {
    return this.call({ op: 'pragma', text });
  }

  close(): void {
    try {
      if (this.writerRunning) this.call({ op: 'close' });
    } finally {
      this.writerRunning = false;
      this.port.close();
      this.db.close();
    }
  }

  private openBatch(): Batch {
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const committed = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    committed.catch(() => undefined); // a failure nobody awaits is still kept in `failure`
    const batch: Batch = { rows: [], keys: [], sent: false, committed, resolve, reject };
    this.batch = batch;
    setImmediate(() => this.send(batch));
    return batch;
  }

  /** Sends the batch to the writer (once), to be committed after those sent before it. */
  private send(batch: Batch): void {
    if (batch.sent) return;
    batch.sent = true;
    if (this.batch === batch) this.batch = undefined;
    if (batch.rows.length === 0) {
      batch.resolve();
      return;
    }
    const id = ++this.nextId;
    this.sent.set(id, batch);
    this.lastSent = batch;
    this.port.ref(); // an answer on its way keeps the process up
    this.port.postMessage({ id, op: 'commit', rows: batch.rows } satisfies WriterRequest);
  }

  private settle(reply: WriterReply): void {
    if (this.calls.has(reply.id)) {
      this.calls.set(reply.id, reply);
      return;
    }
    const batch = this.sent.get(reply.id);
    if (!batch) return; // a batch already failed with an earlier one
    this.sent.delete(reply.id);
    if (this.sent.size === 0) this.port.unref();
    if (this.lastSent === batch) this.lastSent = undefined;
    if (reply.error !== undefined) {
      this.failAll(reply.error, batch);
      return;
    }
    for (const key of batch.keys) if (this.unwritten.get(key)?.batch === batch) this.unwritten.delete(key);
    batch.resolve();
  }

  /** The writer thread ended: nothing more can be committed (nor asked of it). */
  private writerGone(message: string): void {
    if (!this.writerRunning) return;
    this.writerRunning = false;
    if (this.db.open) this.failAll(message);
  }

  /** The writer refused a commit (or stopped): every write not committed is rolled back; no more are taken. */
  private failAll(message: string, refused?: Batch): void {
    this.failure ??= new StoreError(
      `the store could not commit its last writes to ${this.db.name} (${message}); they are ` +
        'rolled back and the store takes no more writes: restart Skiff once the disk takes writes again',
    );
    const failed = [...(refused ? [refused] : []), ...this.sent.values(), ...(this.batch ? [this.batch] : [])];
    this.sent.clear();
    this.batch = undefined;
    this.lastSent = undefined;
    this.port.unref();
    this.unwritten.clear();
    this.recent.clear();
    for (const batch of failed) {
      batch.sent = true;
      batch.reject(this.failure);
    }
    if (this.db.open) {
      const maxRevision = this.sql('SELECT max(revision) FROM log').pluck().get() as number | null;
      this.last = Math.max(maxRevision ?? 0, this.compacted); // the revisions rolled back were never made
      this.liveKeys.clear();
      for (const key of this.sql('SELECT key FROM current').pluck().all() as string[]) this.liveKeys.add(key);
    }
    for (const [id, reply] of this.calls) if (!reply) this.calls.set(id, { id, error: this.failure.message });
  }

  /** Sends this turn's rows now and waits until the writer has committed everything sent: the file is current. */
  private flush(): void {
    if (this.batch) this.send(this.batch);
    while (this.sent.size > 0) this.awaitAnswer();
  }

  /** Asks the writer, after everything written so far, and waits for its answer. */
  private call(request: DistributiveOmit<WriterRequest, 'id'>): unknown {
    if (!this.writerRunning) throw this.failure ?? new StoreError('the store is closed');
    this.flush();
    const id = ++this.nextId;
    this.calls.set(id, undefined);
    this.port.postMessage({ ...request, id });
    try {
      let reply = this.calls.get(id);
      while (!reply) {
        this.awaitAnswer();
        reply = this.calls.get(id);
      }
      if (reply.error !== undefined) throw new StoreError(reply.error);
      return reply.value;
    } finally {
      this.calls.delete(id);
    }
  }

  /** Blocks until the writer's next answer, and takes it. */
  private awaitAnswer(): void {
    const seen = Atomics.load(this.signal, 0);
    const received = receiveMessageOnPort(this.port);
    if (received) {
      this.settle(received.message as WriterReply);
      return;
    }
    if (Atomics.wait(this.signal, 0, seen, writerTimeoutMs) === 'timed-out') {
      this.failAll(`its writer did not answer within ${writerTimeoutMs / 1000} s`);
    }
  }

  /** Prepares each distinct statement once. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      if (statement.reader) statement.raw();
      this.statements.set(text, statement);
    }
    return statement;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class SqliteBackend extends LogBackend {
  private constructor(
    log: SqliteLog,
    /** The database file. */
    readonly file: string,
    private readonly owner: Database.Database,
  ) {
    super(log);
  }

  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      if (this.owner.open) this.owner.close();
    }
  }

  /**
   * Opens (creating when missing) the store at `path`: a data directory, whose file is `<path>/state.db`, or a
   * file path ending in `.db`.
   */
  static open(path: string, options?: SqliteOptions): SqliteBackend {
    const file = path.endsWith('.db') && !isDirectory(path) ? path : join(path, 'state.db');
    mkdirSync(dirname(file), { recursive: true });
    const owner = holdOwnership(file);
    try {
      return new SqliteBackend(new SqliteLog(new Database(file), file, options), file, owner);
    } catch (error) {
      owner.close();
      throw error;
    }
  }
}

/**
 * This process's hold on the store: an exclusive lock on `<file>.owner`, kept until the store closes (or the process
 * ends, kill -9 included). Another process opening the store waits up to 5 s for it, then gets SQLITE_BUSY.
 */
function holdOwnership(file: string): Database.Database {
  const owner = new Database(`${file}.owner`);
  try {
    owner.pragma('busy_timeout = 5000');
    owner.pragma('journal_mode = MEMORY');
    owner.pragma('locking_mode = EXCLUSIVE');
    owner.exec(
      `CREATE TABLE IF NOT EXISTS owner (pid INTEGER); DELETE FROM owner; INSERT INTO owner VALUES (${process.pid})`,
    );
    return owner;
  } catch (error) {
    owner.close();
    throw error;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
