// Evictions against budgets the disruption controller keeps, as `kubectl drain` meets them: one eviction takes
// the only disruption, the next is refused with 429 until a replacement pod becomes ready.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { createPod, setPodRunning } from '../endpoints/testing.js';
import { DisruptionController } from './controller.js';

const ns = 'default';
const pdbRef = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: ns };
const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: ns };
let api: TestApi;
let client: KubeClient;
let controller: DisruptionController;

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  controller = new DisruptionController(client, { onError: (error) => assert.fail(String(error)) });
  await controller.start();
});
after(async () => {
  controller.stop();
  await api.close();
});

const evict = (name: string) =>
  client.createSubresource(podRef, name, 'eviction', {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name, namespace: ns },
  });

async function allowed(count: number, healthy: number): Promise<KubeObject['status']> {
  return until(async () => {
    const { status } = await client.get(pdbRef, 'web');
    return status?.disruptionsAllowed === count && status.currentHealthy === healthy && status;
  }, `${count} disruptions allowed with ${healthy} healthy`);
}

it('allows one eviction, refuses the next, and allows again once a replacement is ready', async () => {
  for (let i = 0; i < 3; i++) {
    await createPod(client, `web-${i}`, { labels: { app: 'web' }, nodeName: 'node-a' });
    await setPodRunning(client, `web-${i}`, `10.0.1.${i + 1}`, true);
  }
  await client.create({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: ns },
    spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: 2 },
  });
  await allowed(1, 3);
  const ok = await evict('web-0');
  assert.equal((ok as any).status, 'Success');
  assert.ok((await client.get(podRef, 'web-0')).metadata.deletionTimestamp);
  await allowed(0, 2);
  const settled = await until(async () => {
    const { status } = await client.get(pdbRef, 'web');
    return status.disruptedPods === undefined && status;
  }, 'the deleting pod no longer waited for');
  assert.deepEqual([settled.disruptionsAllowed, settled.currentHealthy, settled.desiredHealthy], [0, 2, 2]);

  await assert.rejects(evict('web-1'), (error: any) => {
    assert.equal(error.code, 429);
    assert.equal(
      error.status.details.causes[0].message,
      'The disruption budget web needs 2 healthy pods and has 2 currently',
    );
    return true;
  });

  await createPod(client, 'web-3', { labels: { app: 'web' }, nodeName: 'node-a' });
  await setPodRunning(client, 'web-3', '10.0.1.4', true);
  await allowed(1, 3);
  await evict('web-1');
  assert.ok((await client.get(podRef, 'web-1')).metadata.deletionTimestamp);
});
