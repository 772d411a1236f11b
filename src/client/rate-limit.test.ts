// client-go's rate limiters: per-key exponential delays forgotten on success, an overall token bucket, the max of both.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
} from './rate-limit.js';

it('doubles from 5 ms per key up to 1000 s, and forgets on success', () => {
  const limiter = new ItemExponentialFailureRateLimiter();
  assert.deepEqual(
    [1, 2, 3, 4].map(() => limiter.when('a')),
    [5, 10, 20, 40],
  );
  assert.equal(limiter.when('b'), 5);
  assert.equal(limiter.numRequeues('a'), 4);
  for (let i = 0; i < 40; i++) limiter.when('a');
  assert.equal(limiter.when('a'), 1_000_000);
  limiter.forget('a');
  assert.equal(limiter.when('a'), 5);
});

it('lets 100 retries through at once, then 10 a second', () => {
  let now = 0;
  const bucket = new BucketRateLimiter(10, 100, () => now);
  for (let i = 0; i < 100; i++) assert.equal(bucket.when(), 0);
  assert.equal(bucket.when(), 100);
  assert.equal(bucket.when(), 200);
  now = 10_000;
  assert.equal(bucket.when(), 0);
});

it('waits for the longer of the per-key and the overall delay', () => {
  const now = 0;
  const limiter = new MaxOfRateLimiter(
    new ItemExponentialFailureRateLimiter(5, 1000),
    new BucketRateLimiter(1, 1, () => now),
  );
  assert.equal(limiter.when('a'), 5);
  assert.equal(limiter.when('b'), 1000);
  assert.equal(limiter.numRequeues('a'), 1);
  assert.ok(defaultControllerRateLimiter().when('x') >= 5);
});
