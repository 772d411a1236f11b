// The SQLite store's writer: a worker thread with its own connection to the store's file, which commits each turn's
// rows (sent by SqliteLog, sqlite.ts) in one transaction, compacts, and checkpoints when writes pause — the file's
// inserts, commits and checkpoints off the thread that serves the API. It answers every request in order on the
// port it was given, and bumps `signal` after each answer so that a caller blocked in Atomics.wait wakes up. After a
// commit the disk refuses, it refuses every later commit with the same error: rows sent after that one may build on
// rows it rolled back.
import { type MessagePort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { WriterReply, WriterRequest, WriterSetup } from './sqlite-protocol.js';

const { file, port, signal, idleCheckpointMs, inlineCheckpointPages } = workerData as WriterSetup & {
  port: MessagePort;
};
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -32768');
db.pragma(`wal_autocheckpoint = ${inlineCheckpointPages}`);

const insertRow = db.prepare('INSERT INTO log VALUES (?, ?, ?, ?, ?, ?)');
const dropCurrent = db.prepare('DELETE FROM current WHERE key = ?');
const setCurrent = db.prepare(
  'INSERT INTO current (key, revision) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET revision = excluded.revision',
);
const setCompacted = db.prepare(
  "INSERT INTO meta (name, value) VALUES ('compacted', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
);
const compactUpTo = db
  .prepare(
    'SELECT max(revision) FROM (SELECT revision FROM log WHERE revision > ? AND revision <= ? ORDER BY revision LIMIT ?)',
  )
  .pluck();
const compactRows = db.prepare(
  `DELETE FROM log WHERE revision > @from AND revision <= @to AND (deleted = 1 OR EXISTS (
     SELECT 1 FROM log n WHERE n.key = log.key AND n.revision > log.revision AND n.revision <= @rev))`,
);

/** Why commits are refused: the first commit the disk refused. */
let failure: string | undefined;
/** Changes made: as of the last tick, and as of the last checkpoint. */
let changes = 0;
let changesAtTick = 0;
let changesCheckpointed = 0;

function commit(rows: WriterRequest & { op: 'commit' }): void {
  if (failure) throw new Error(failure);
  try {
    db.exec('BEGIN IMMEDIATE');
    for (const [revision, key, value, createRevision, prevRevision, deleted] of rows.rows) {
      insertRow.run(revision, key, value, createRevision, prevRevision, deleted);
      if (deleted) dropCurrent.run(key);
      else setCurrent.run(key, revision);
    }
    db.exec('COMMIT');
    changes++;
  } catch (error) {
    failure = (error as Error).message;
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function handle(request: WriterRequest): unknown {
  switch (request.op) {
    case 'commit':
      return commit(request);
    case 'markCompacted':
      setCompacted.run(request.revision);
      changes++;
      return undefined;
    case 'compactBatch': {
      const upTo = compactUpTo.get(request.afterRevision, request.revision, request.batchSize) as number | null;
      if (upTo === null) return request.revision;
      compactRows.run({ from: request.afterRevision, to: upTo, rev: request.revision });
      changes++;
      return upTo;
    }
    case 'pragma':
      return db.pragma(request.text, { simple: true });
    case 'close':
      clearInterval(checkpoints);
      db.close();
      return undefined;
  }
}

function answer(reply: WriterReply): void {
  port.postMessage(reply);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

port.on('message', (request: WriterRequest) => {
  try {
    answer({ id: request.id, value: handle(request) });
  } catch (error) {
    answer({ id: request.id, error: (error as Error).message });
  }
  if (request.op === 'close') port.close();
});

/** A passive checkpoint when nothing was written since the last tick and something since the last checkpoint. */
const checkpoints = setInterval(() => {
  const idle = changes === changesAtTick;
  changesAtTick = changes;
  if (!idle || changes === changesCheckpointed || !db.open || failure) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    changesCheckpointed = changes;
  } catch (error) {
    process.emitWarning(`store checkpoint failed: ${error}`);
  }
}, idleCheckpointMs);
checkpoints.unref();
