// The start gate: as many VMs start as it is wide, the next enters as one leaves (or after the hold limit), leaving
// twice frees one slot, and a wait ends when its signal aborts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { StartGate } from './start-gate.js';

test('as many enter as the gate is wide; the next when one leaves', async () => {
  const gate = new StartGate(2, 10_000);
  const first = await gate.enter();
  const second = await gate.enter();
  let third = false;
  const waiting = gate.enter().then((leave) => {
    third = true;
    return leave;
  });
  await sleep(10);
  assert.equal(third, false);
  assert.deepEqual(gate.load, { starting: 2, waiting: 1 });
  first();
  first();
  (await waiting)();
  assert.equal(third, true);
  assert.deepEqual(gate.load, { starting: 1, waiting: 0 });
  second();
  assert.deepEqual(gate.load, { starting: 0, waiting: 0 });
});

test('a slot held past the limit is freed', async () => {
  const gate = new StartGate(1, 30);
  await gate.enter();
  const started = Date.now();
  const leave = await gate.enter();
  assert.ok(Date.now() - started >= 25);
  leave();
  assert.deepEqual(gate.load, { starting: 0, waiting: 0 });
});

test('an aborted wait leaves the queue', async () => {
  const gate = new StartGate(1, 10_000);
  const leave = await gate.enter();
  const controller = new AbortController();
  const waiting = gate.enter(controller.signal);
  controller.abort(new Error('pod deleted'));
  await assert.rejects(waiting, /pod deleted/);
  leave();
  assert.deepEqual(gate.load, { starting: 0, waiting: 0 });
});
