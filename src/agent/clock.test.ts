// The API's time texts: metav1.Time to the second, metav1.MicroTime to the microsecond.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiTime, microTime } from './clock.js';

test('apiTime writes the second, whatever the milliseconds, and a new second as it comes', () => {
  assert.equal(apiTime(new Date('2026-12-06T07:00:01.001Z')), '2026-12-06T07:00:01Z');
  assert.equal(apiTime(new Date('2026-12-06T07:00:01.999Z')), '2026-12-06T07:00:01Z');
  assert.equal(apiTime(new Date('2026-12-06T07:00:02.000Z')), '2026-12-06T07:00:02Z');
  assert.equal(apiTime(new Date('2026-12-06T07:00:01.500Z')), '2026-12-06T07:00:01Z', 'an earlier second again');
  assert.match(apiTime(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.throws(() => apiTime(new Date(Number.NaN)), RangeError);
});

test('microTime writes six fractional digits', () => {
  assert.equal(microTime(new Date('2026-12-06T07:00:01.234Z')), '2026-12-06T07:00:01.234000Z');
});
