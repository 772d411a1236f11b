// The runaway guard: a cause over its allowance is refused with 429 for a hold that doubles, with a halved
// allowance after each; writes of no cause pass; a cause quiet long enough starts afresh.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { withWriteCause } from '../client/write-cause.js';
import { WriteGuard } from './write-guard.js';

const cause = {
  component: 'deployment controller',
  key: 'default/bad',
  object: { apiVersion: 'apps/v1', kind: 'Deployment' },
};

function tryWrite(guard: WriteGuard): number | undefined {
  try {
    withWriteCause(cause, () => guard.admit());
    return undefined;
  } catch (error: any) {
    return error.code;
  }
}

it('holds back a cause over its allowance, doubling the hold and halving the allowance', () => {
  let now = 0;
  const trips: number[] = [];
  const guard = new WriteGuard({ perMinute: 100, firstHoldMs: 10_000, now: () => now });
  guard.onRunaway = (r) => trips.push(r.holdMs);
  for (let i = 0; i < 100; i++) assert.equal(tryWrite(guard), undefined);
  assert.equal(tryWrite(guard), 429);
  assert.deepEqual(trips, [10_000]);
  now = 9_999;
  assert.equal(tryWrite(guard), 429);
  assert.equal(trips.length, 1, 'a hold is reported once');
  now = 10_000;
  for (let i = 0; i < 50; i++) assert.equal(tryWrite(guard), undefined);
  assert.equal(tryWrite(guard), 429);
  assert.deepEqual(trips, [10_000, 20_000]);
  // Writes of no reconcile are never counted.
  for (let i = 0; i < 1000; i++) guard.admit();
});

it('a runaway loop makes a bounded, falling number of writes per minute', () => {
  let now = 0;
  const guard = new WriteGuard({ perMinute: 100, now: () => now });
  const perMinute: number[] = [];
  for (let minute = 0; minute < 10; minute++) {
    let writes = 0;
    for (; now < (minute + 1) * 60_000; now += 10) if (tryWrite(guard) === undefined) writes++;
    perMinute.push(writes);
  }
  assert.ok(perMinute[0] <= 200, `first minute: ${perMinute[0]}`);
  assert.ok(
    perMinute.slice(3).every((n) => n <= 25),
    perMinute.join(','),
  );
});

it('forgets a cause that stayed quiet', () => {
  let now = 0;
  const guard = new WriteGuard({ perMinute: 10, forgetAfterMs: 60_000, now: () => now });
  for (let i = 0; i < 11; i++) tryWrite(guard);
  now = 200_000;
  for (let i = 0; i < 10; i++) assert.equal(tryWrite(guard), undefined);
});

it('prunes its causes in linear time: a scan only after the count doubles, and still forgets quiet causes', () => {
  let now = 0;
  const guard = new WriteGuard({ now: () => now });
  let scans = 0;
  const prune = (guard as any).prune.bind(guard);
  (guard as any).prune = (at: number) => {
    scans++;
    prune(at);
  };
  const admitAs = (key: string) => withWriteCause({ component: 'scheduler', key }, () => guard.admit());
  // 50,000 pods reconciled within one minute: none can be forgotten, so scans must not repeat on every new cause.
  for (let i = 0; i < 50_000; i++) admitAs(`bench/pod-${i}`);
  assert.ok(scans <= 3, `${scans} scans for 50,000 causes`);
  // Quiet for the forget period: the next scan drops them all.
  now = 700_000;
  for (let i = 0; i < 70_000 && (guard as any).causes.size > 1000; i++) admitAs(`bench/later-${i}`);
  assert.ok((guard as any).causes.size <= 70_000);
  assert.ok(![...(guard as any).causes.keys()].some((id: string) => id.endsWith('bench/pod-0')));
});
