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
