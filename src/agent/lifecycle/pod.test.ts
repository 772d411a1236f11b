// The pod lifecycle over a fake runtime: a pod deleted while its sandbox or containers are still being made stops
// within its grace period and leaves nothing behind once the slow call returns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { until } from '../../testing/until.js';
import { FakeRuntime, fakePod, recorder } from '../testing/fake-runtime.js';
import { PodLifecycle } from './pod.js';

export const fastOptions = { backOff: { baseMs: 50, maxMs: 200 }, resyncMs: 10 };

describe('deleting a pod that is still starting', () => {
  for (const step of ['runSandbox', 'createContainer', 'startContainer'] as const) {
    it(`finishes within the grace period while ${step} is slow`, async () => {
      const runtime = new FakeRuntime();
      runtime.delays[step] = 3000;
      const rec = recorder();
      const lifecycle = new PodLifecycle(runtime, fakePod({}), rec.listener, fastOptions);
      lifecycle.start();
      await until(
        async () => runtime.calls.includes(step === 'runSandbox' ? 'runSandbox' : `${step.slice(0, -9)} c`),
        step,
      );
      const started = Date.now();
      await lifecycle.stop(0.3);
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 1500, `stopped after ${elapsed} ms, not within the 0.3 s grace period`);
      assert.equal(rec.last().sandboxReady, false);
      // Once the slow call returns, what it made is removed and nothing more is started.
      await new Promise((resolve) => setTimeout(resolve, 3200));
      assert.equal(runtime.sandboxes.size, 0, runtime.calls.join(', '));
      assert.equal(runtime.containers.length, 0, runtime.calls.join(', '));
    });
  }

  it('never finishing a call does not keep the pod terminating', async () => {
    const runtime = new FakeRuntime();
    runtime.delays.createContainer = Infinity;
    const lifecycle = new PodLifecycle(runtime, fakePod({}), recorder().listener, fastOptions);
    lifecycle.start();
    await until(async () => runtime.calls.includes('create c'), 'create');
    await lifecycle.stop(0.2);
    assert.ok(runtime.calls.includes('removeSandbox'));
  });
});
