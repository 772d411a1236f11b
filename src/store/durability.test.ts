// An acknowledged write survives kill -9: a child process writes to a SQLite store and prints each acknowledged key;
// we kill it mid-stream, reopen the file and find every printed key at its revision, twice over.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteBackend } from './sqlite.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const writer = fileURLToPath(new URL('./testing/write-loop.ts', import.meta.url));

/** Runs the writer until it has acknowledged `atLeast` writes, kills it with SIGKILL; returns each key's last ack. */
async function writeThenKill(dir: string, atLeast: number): Promise<{ acked: Map<string, number>; lines: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acked = new Map<string, number>();
  const killAt = atLeast + Math.floor(Math.random() * atLeast);
  let lines = 0;
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const complete = (partial + chunk).split('\n');
    partial = complete.pop()!; // a line without its newline was not fully acknowledged
    for (const line of complete) {
      const [key, revision] = line.split(' ');
      acked.set(key, Number(revision));
      if (++lines === killAt) child.kill('SIGKILL');
    }
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000); // never outlive the test, even if the writer stalls
  const [, signal] = await once(child, 'close');
  clearTimeout(guard);
  assert.equal(signal, 'SIGKILL', 'the writer only stops when killed');
  return { acked, lines };
}

test('every acknowledged write survives kill -9, and the store keeps working', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-durability-'));
  try {
    let total = 0;
    for (let round = 0; round < 2; round++) {
      const { acked, lines } = await writeThenKill(dir, 1500);
      assert.ok(lines >= 1500, `${lines} acknowledged writes`);
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
