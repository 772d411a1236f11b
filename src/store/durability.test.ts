// An acknowledged write survives kill -9: a child process writes to a SQLite store and prints each acknowledged key;
// we kill it mid-stream, reopen the file and find every printed key at its revision, twice over.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteBackend } from './sqlite.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const writer = fileURLToPath(new URL('./testing/write-loop.ts', import.meta.url));

/** Runs the writer until it has acknowledged `atLeast` writes, kills it with SIGKILL, returns every acknowledged write. */
async function writeThenKill(dir: string, atLeast: number): Promise<Map<string, number>> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acked = new Map<string, number>();
  const killAt = atLeast + Math.floor(Math.random() * atLeast);
  let lines = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    const [key, revision] = line.split(' ');
    acked.set(key, Number(revision));
    if (++lines === killAt) child.kill('SIGKILL');
  }
  const [, signal] = await new Promise<[number | null, string | null]>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve([child.exitCode, child.signalCode]);
    else child.once('exit', (code, sig) => resolve([code, sig]));
  });
  assert.equal(signal, 'SIGKILL', 'the writer only stops when killed');
  return acked;
}

test('every acknowledged write survives kill -9, and the store keeps working', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-durability-'));
  try {
    let total = 0;
    for (let round = 0; round < 2; round++) {
      const acked = await writeThenKill(dir, 1500);
      assert.ok(acked.size >= 1500);
      const store = SqliteBackend.open(dir);
      try {
        for (const [key, revision] of acked) {
          if (key === '/counter') continue;
          assert.equal((await store.get(key))?.modRevision, revision, `${key} was acknowledged at ${revision}`);
        }
        const lastAcked = Math.max(...acked.values());
        assert.ok((await store.get('/counter'))!.modRevision >= acked.get('/counter')!);
        const current = await store.currentRevision();
        assert.ok(current >= lastAcked, `current ${current} >= last acknowledged ${lastAcked}`);
        assert.equal((await store.create('/after-crash', String(round))).modRevision, current + 1);
        await store.delete('/after-crash');
        const count = await store.count('/durable/');
        assert.ok(count >= total + acked.size - 1);
        total = count;
      } finally {
        await store.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
