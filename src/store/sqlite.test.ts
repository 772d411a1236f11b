// Runs the shared backend suite against the SQLite backend (one temp dir per backend), plus SQLite-only checks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { backendSuite } from './backend.suite.js';
import { SqliteBackend } from './sqlite.js';
import type { Backend } from './types.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-store-'));
  dirs.push(dir);
  return dir;
}

async function reopen(backend: Backend): Promise<Backend> {
  await backend.close();
  return SqliteBackend.open((backend as SqliteBackend).file);
}

backendSuite('sqlite', async () => SqliteBackend.open(tempDir()), reopen);

test('the file is D/state.db in WAL mode; a .db path is used as is', async () => {
  const dir = tempDir();
  const b = SqliteBackend.open(dir);
  await b.create('/x', 'y');
  assert.equal(b.file, join(dir, 'state.db'));
  await b.close();
  const db = new Database(b.file, { readonly: true });
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.deepEqual(db.prepare('SELECT key, value, create_revision, prev_revision, deleted FROM log').all(), [
    { key: '/x', value: 'y', create_revision: 1, prev_revision: 0, deleted: 0 },
  ]);
  db.close();
  const named = SqliteBackend.open(join(dir, 'nested', 'other.db'));
  assert.equal(named.file, join(dir, 'nested', 'other.db'));
  await named.close();
});

test('compaction removes superseded rows and tombstones from the file, and persists the compacted revision', async () => {
  const dir = tempDir();
  const b = SqliteBackend.open(dir);
  for (let i = 0; i < 5000; i++) await b.update('/x/hot', `${i}`).catch(() => b.create('/x/hot', `${i}`));
  for (let i = 0; i < 100; i++) await b.create(`/x/tmp/${i}`, 'x');
  for (let i = 0; i < 100; i++) await b.delete(`/x/tmp/${i}`);
  await b.create('/x/cold', 'c');
  const current = await b.currentRevision();
  await b.compact(current - 1);
  await b.close();
  const db = new Database(b.file, { readonly: true });
  assert.deepEqual(db.prepare('SELECT key, value FROM log ORDER BY revision').all(), [
    { key: '/x/hot', value: '4999' },
    { key: '/x/cold', value: 'c' },
  ]);
  assert.equal(db.prepare("SELECT value FROM meta WHERE name = 'compacted'").pluck().get(), current - 1);
  db.close();
});

test('writes stay in the WAL while they come; a pause checkpoints them into the database file', async () => {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const fill = async (b: SqliteBackend) => {
    for (let i = 0; i < 200; i++) await b.create(`/x/${i}`, 'v'.repeat(1000));
  };
  const busy = SqliteBackend.open(tempDir(), { idleCheckpointMs: 60_000 });
  const empty = statSync(busy.file).size;
  await fill(busy);
  assert.equal(statSync(busy.file).size, empty, 'no checkpoint on the write path');
  await busy.close();

  const pausing = SqliteBackend.open(tempDir(), { idleCheckpointMs: 20 });
  await fill(pausing);
  await pause(200);
  assert.ok(statSync(pausing.file).size > empty + 200 * 1000, 'checkpointed once writes paused');
  assert.equal((await pausing.get('/x/199'))?.value, 'v'.repeat(1000));
  await pausing.close();
});

test("one turn's writes are one commit: visible at once, durable once durable() settles", async () => {
  const b = SqliteBackend.open(tempDir());
  assert.equal(b.durable(), undefined, 'nothing written, nothing pending');
  await b.create('/a', '1');
  await b.create('/b', '2');
  await b.update('/a', '3');
  const pending = b.durable();
  assert.ok(pending, 'the writes wait for their commit');
  assert.equal((await b.get('/a'))?.value, '3', 'but this process sees them already');
  assert.equal(b.durable(), pending, 'all three in the one commit');
  await pending;
  assert.equal(b.durable(), undefined);
  const again = await reopen(b);
  assert.deepEqual(
    (await again.list('/')).items.map((kv) => [kv.key, kv.value, kv.modRevision]),
    [
      ['/a', '3', 3],
      ['/b', '2', 2],
    ],
  );
  await again.close();
});

test('a write that fails inside a commit undoes only itself', async () => {
  const b = SqliteBackend.open(tempDir());
  await b.create('/a', '1');
  await assert.rejects(b.create('/a', 'again'), /already exists/);
  await assert.rejects(b.update('/a', 'stale', 99), /conflict|revision/i);
  assert.equal((await b.get('/a'))?.value, '1');
  await b.create('/b', '2');
  await b.durable();
  const again = await reopen(b);
  assert.deepEqual(
    (await again.list('/')).items.map((kv) => [kv.key, kv.modRevision]),
    [
      ['/a', 1],
      ['/b', 2],
    ],
  );
  await again.close();
});

test('a commit the disk refuses: durable() rejects, later writes fail with a clear error, what was durable stays', async () => {
  const b = SqliteBackend.open(tempDir());
  await b.create('/kept', 'x');
  await b.durable();
  // The file may not grow past its current size: the next pages a write needs are refused as a full disk is.
  const db = (b as unknown as { log: { db: Database.Database } }).log.db;
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
  const refused: unknown[] = [];
  await b.create('/pending', 'p'); // fits the pages the file has; rolled back with the turn
  for (let i = 0; i < 50 && refused.length === 0; i++) {
    await b.create(`/big/${i}`, 'y'.repeat(20_000)).catch((error) => refused.push(error));
  }
  const pending = b.durable();
  if (pending) await pending.catch((error) => refused.push(error));
  assert.ok(refused.length > 0, 'the disk refused a write or its commit');
  await assert.rejects(b.create('/later', 'z'), /the store could not commit its last writes .* restart Skiff/);
  assert.equal(await b.currentRevision(), 1, 'the revisions rolled back were never made');
  assert.equal((await b.get('/kept'))?.value, 'x', 'what was durable can still be read');
  assert.equal(await b.get('/pending'), undefined, 'reads no longer see a rolled-back write (nor keep it)');
  const again = await reopen(b);
  assert.equal((await again.get('/kept'))?.value, 'x');
  assert.equal(await again.count('/big/'), 0, 'the refused turn left nothing behind');
  await again.close();
});
