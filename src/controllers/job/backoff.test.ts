// The pod failure back-off: its growth and cap, a success resetting it, and — against the real API — a long
// back-off holding back the replacement of a failed pod.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { nextBackoffRecord, remainingBackoffMs } from './backoff.js';
import { JobController } from './controller.js';
import { formatIndexes, parseIndexes } from './indexes.js';
import { jobManifest, setPodPhase } from './testing.js';

const finishedPod = (phase: string, finishedAt: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  status: { phase, containerStatuses: [{ name: 'c', state: { terminated: { finishedAt } } }] },
});

it('doubles the delay per failure from the base, up to the cap, counted from the last failure', () => {
  const t = Date.parse('2025-01-01T00:00:00Z');
  const record = (failures: number) => ({ failuresAfterLastSuccess: failures, lastFailureTime: t });
  assert.equal(remainingBackoffMs(record(0), t, 10_000, 360_000), 0);
  assert.equal(remainingBackoffMs(record(1), t, 10_000, 360_000), 10_000);
  assert.equal(remainingBackoffMs(record(3), t, 10_000, 360_000), 40_000);
  assert.equal(remainingBackoffMs(record(3), t + 15_000, 10_000, 360_000), 25_000);
  assert.equal(remainingBackoffMs(record(10), t, 10_000, 360_000), 360_000);
  assert.equal(remainingBackoffMs(record(1), t + 11_000, 10_000, 360_000), 0);
});

it('resets on a success, keeping only failures that finished after it', () => {
  const failed = finishedPod('Failed', '2025-01-01T00:00:10Z');
  const earlier = finishedPod('Failed', '2025-01-01T00:00:01Z');
  const ok = finishedPod('Succeeded', '2025-01-01T00:00:05Z');
  const two = nextBackoffRecord({ failuresAfterLastSuccess: 0 }, [], [earlier, failed]);
  assert.deepEqual(two, { failuresAfterLastSuccess: 2, lastFailureTime: Date.parse('2025-01-01T00:00:10Z') });
  assert.deepEqual(nextBackoffRecord(two, [ok], []), { failuresAfterLastSuccess: 0, lastFailureTime: undefined });
  assert.deepEqual(nextBackoffRecord(two, [ok], [earlier, failed]), {
    failuresAfterLastSuccess: 1,
    lastFailureTime: Date.parse('2025-01-01T00:00:10Z'),
  });
});

it('writes completed indexes as Kubernetes does', () => {
  assert.equal(formatIndexes([0, 1, 2, 4, 5, 7]), '0-2,4,5,7');
  assert.deepEqual([...parseIndexes('0-2,4,5,7,9', 8)].sort(), [0, 1, 2, 4, 5, 7]);
});

it('holds back the replacement of a failed pod during the back-off', async () => {
  const api = await startTestApi();
  const client = inProcessClient(api.ctx);
  const controller = new JobController(client, { backoffBaseMs: 3_600_000 });
  await controller.start();
  try {
    const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: 'default' };
    await client.create(jobManifest('patient', 'default', { backoffLimit: 3 }));
    const [pod] = await until(
      async () => (await client.list(podRef)).items.length === 1 && (await client.list(podRef)).items,
      'pod',
    );
    await setPodPhase(client, pod, 'Failed');
    const jobRef = { apiVersion: 'batch/v1', kind: 'Job', namespace: 'default' };
    await until(async () => (await client.get(jobRef, 'patient')).status?.failed === 1, 'failure counted');
    await controller.queue.drained();
    assert.equal((await client.list(podRef)).items.length, 1, 'no replacement within the hour of back-off');
  } finally {
    controller.stop();
    await api.close();
  }
});
