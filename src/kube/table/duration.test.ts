// HumanDuration's boundaries, as apimachinery's own table of cases has them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanDuration } from './duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const cases: [number, string][] = [
  [-2 * s, '<invalid>'],
  [-1 * s, '0s'],
  [0, '0s'],
  [5 * s, '5s'],
  [119 * s, '119s'],
  [2 * m, '2m'],
  [2 * m + 5 * s, '2m5s'],
  [9 * m + 59 * s, '9m59s'],
  [10 * m, '10m'],
  [10 * m + 30 * s, '10m'],
  [179 * m, '179m'],
  [3 * h, '3h'],
  [3 * h + 20 * m, '3h20m'],
  [7 * h + 59 * m, '7h59m'],
  [8 * h + 30 * m, '8h'],
  [47 * h, '47h'],
  [48 * h, '2d'],
  [3 * d + 4 * h, '3d4h'],
  [7 * d + 23 * h, '7d23h'],
  [8 * d + 5 * h, '8d'],
  [729 * d, '729d'],
  [730 * d, '2y'],
  [2 * 365 * d + 30 * d, '2y30d'],
  [8 * 365 * d + 100 * d, '8y'],
];

for (const [ms, want] of cases) {
  test(`humanDuration(${ms}ms) = ${want}`, () => assert.equal(humanDuration(ms), want));
}
