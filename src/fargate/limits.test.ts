import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fargatePidsLimit, fargateRlimits } from './limits.js';

it('a Fargate pod may run memory / 128 KiB processes', () => {
  for (const [memoryGiB, threads] of [
    [0.5, 4096],
    [1, 8192],
    [4, 32768],
    [120, 983040],
  ] as const) {
    assert.equal(fargatePidsLimit(memoryGiB * 1024 ** 3), threads, `${memoryGiB} GiB`);
  }
});

it('Fargate sets nofile and nproc to soft 1024, hard 65535', () => {
  assert.deepEqual(fargateRlimits, { nofile: { soft: 1024, hard: 65535 }, nproc: { soft: 1024, hard: 65535 } });
});
