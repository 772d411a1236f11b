// The agent's Limiter: at most `max` tasks at once, the others in arrival order, urgent ones ahead of them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Limiter } from './limiter.js';

/** A task that records its start and runs until `release` is called. */
function gated(started: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    task: async () => {
      started.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

test('no more than max tasks run at once; the others start in arrival order as slots free', async () => {
  const limiter = new Limiter(2);
  const started: string[] = [];
  const tasks = ['a', 'b', 'c', 'd'].map((name) => gated(started, name));
  const results = tasks.map((t) => limiter.run(t.task));
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(started, ['a', 'b']);
  tasks[1].release();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(started, ['a', 'b', 'c']);
  for (const t of tasks) t.release();
  assert.deepEqual(await Promise.all(results), ['a', 'b', 'c', 'd']);
});

test('an urgent task goes ahead of those waiting, the latest urgent one first', async () => {
  const limiter = new Limiter(1);
  const started: string[] = [];
  const first = gated(started, 'first');
  const running = limiter.run(first.task);
  const later = ['w1', 'w2'].map((name) => limiter.run(async () => void started.push(name)));
  const urgent = ['u1', 'u2'].map((name) => limiter.run(async () => void started.push(name), true));
  first.release();
  await Promise.all([running, ...later, ...urgent]);
  assert.deepEqual(started, ['first', 'u2', 'u1', 'w1', 'w2']);
});

test('a task that throws frees its slot, and its caller gets the error', async () => {
  const limiter = new Limiter(1);
  await assert.rejects(
    limiter.run(async () => {
      throw new Error('refused');
    }),
    /refused/,
  );
  assert.equal(await limiter.run(async () => 'next'), 'next');
});

test('thousands waiting at once all run, in arrival order', async () => {
  const limiter = new Limiter(4);
  const order: number[] = [];
  await Promise.all(Array.from({ length: 5000 }, (_, i) => limiter.run(async () => void order.push(i))));
  assert.equal(order.length, 5000);
  assert.deepEqual(
    order,
    Array.from({ length: 5000 }, (_, i) => i),
  );
});
