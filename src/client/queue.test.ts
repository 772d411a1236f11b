// The work queue: a key is coalesced while queued, never handled twice at once, and retried with growing delays.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { exponentialRetries, WorkQueue } from './queue.js';

it('retries a failing key with exponential back-off, then forgets it', async () => {
  const times: number[] = [];
  const errors: unknown[] = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const queue = new WorkQueue(
    async () => {
      times.push(Date.now());
      if (times.length < 5) throw new Error('not yet');
      done();
      return {};
    },
    (_key, error) => errors.push(error),
    { workers: 1, rateLimiter: exponentialRetries(10) },
  );
  queue.add('k');
  await finished;
  queue.stop();
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  assert.equal(errors.length, 4);
  for (const [i, gap] of gaps.entries()) assert.ok(gap >= 10 * 2 ** i - 2, `gap ${i} was ${gap}ms`);
});

it('coalesces adds and never runs one key concurrently', async () => {
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  const queue = new WorkQueue(async () => {
    runs++;
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise((r) => setTimeout(r, 20));
    running--;
    return {};
  }, assert.fail);
  queue.add('k');
  queue.add('k');
  await new Promise((r) => setTimeout(r, 5));
  queue.add('k');
  queue.add('k');
  await new Promise((r) => setTimeout(r, 5));
  await queue.drained();
  await new Promise((r) => setTimeout(r, 30));
  await queue.drained();
  queue.stop();
  assert.equal(maxRunning, 1);
  assert.equal(runs, 2);
});
