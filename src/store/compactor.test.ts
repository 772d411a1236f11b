// The compactor compacts to current - retain on its timer, skips when nothing is due, and stops.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCompactor } from './compactor.js';
import { openStore } from './index.js';

test('compacts to current - retainRevisions on its interval, then stops', async () => {
  const store = await openStore({ kind: 'memory' });
  for (let i = 0; i < 30; i++) await store.create(`/c/${i}`, 'x');
  const compactor = startCompactor(store, { intervalMs: 10, retainRevisions: 10 });
  try {
    for (let i = 0; i < 100 && (await store.compactedRevision()) === 0; i++) await sleep(5);
    assert.equal(await store.compactedRevision(), 20);
  } finally {
    compactor.stop();
  }
  const manual = startCompactor(store, { intervalMs: 3_600_000, retainRevisions: 10 });
  try {
    assert.equal(await manual.runOnce(), undefined, 'nothing new to compact');
    for (let i = 0; i < 5; i++) await store.update('/c/0', `${i}`);
    assert.equal(await manual.runOnce(), 25);
    assert.equal(await store.count('/c/'), 30);
  } finally {
    manual.stop();
    await store.close();
  }
});

test('reports failures to onError and keeps going', async () => {
  const store = await openStore({ kind: 'memory' });
  await store.create('/a', 'x');
  await store.close();
  const errors: unknown[] = [];
  const compactor = startCompactor(store, { intervalMs: 5, retainRevisions: 0, onError: (e) => errors.push(e) });
  for (let i = 0; i < 100 && errors.length < 2; i++) await sleep(5);
  compactor.stop();
  assert.ok(errors.length >= 2);
  assert.match(String(errors[0]), /closed/);
});

test('openStore needs a path for sqlite', async () => {
  await assert.rejects(openStore({ kind: 'sqlite' }), /needs a path/);
});
