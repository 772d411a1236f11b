// metrics.k8s.io written by the agent against the real API: PodMetrics per running pod with usage from the
// skiff.io/simulated-* annotations (re-read each tick), NodeMetrics summing the node's pods, both removed with them.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { until } from '../testing/until.js';
import { type Harness, nodeObject, ns, podObject, podRef, podWhere, startHarness } from './testing/harness.js';

const podMetricsRef = { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', namespace: ns };
const nodeMetricsRef = { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'NodeMetrics' };
let h: Harness;

before(async () => {
  h = await startHarness();
  await h.client.create(nodeObject('ng-metrics', '10.0.4.5', { podIPs: ['10.0.4.10', '10.0.4.11'] }));
});
after(async () => {
  await h.close();
  assert.deepEqual(h.errors, []);
});

it('writes usage per container from the annotations, follows changes, and sums it per node', async () => {
  const annotations = { 'skiff.io/simulated-cpu': '250m', 'skiff.io/simulated-memory': '64Mi' };
  await h.client.create(
    podObject(
      'busy',
      'ng-metrics',
      {
        containers: [
          { name: 'web', image: 'nginx:1.27' },
          { name: 'sidecar', image: 'busybox:1.36', command: ['sleep', '3600'] },
        ],
      },
      { annotations },
    ),
  );
  await h.client.create(podObject('idle', 'ng-metrics'));
  await podWhere(h.client, 'busy', (p) => p.status?.phase === 'Running', 'Running');
  const metrics = await until(() => h.client.get(podMetricsRef, 'busy').catch(() => undefined), 'PodMetrics');
  assert.deepEqual(metrics.metadata.labels, { app: 'busy' });
  assert.equal(metrics.window, '1s');
  assert.deepEqual(
    metrics.containers.map((c: any) => [c.name, c.usage.cpu, c.usage.memory]),
    [
      ['web', '250m', '64Mi'],
      ['sidecar', '250m', '64Mi'],
    ],
  );
  const idle = await until(() => h.client.get(podMetricsRef, 'idle').catch(() => undefined), 'idle PodMetrics');
  assert.deepEqual(idle.containers, [{ name: 'web', usage: { cpu: '1m', memory: '8Mi' } }]);
  const node = await until(async () => {
    const object = await h.client.get(nodeMetricsRef, 'ng-metrics').catch(() => undefined);
    return object?.usage.cpu === '501m' && object;
  }, 'NodeMetrics summing both pods');
  assert.equal(node.usage.memory, `${(128 + 8) * 1024}Ki`);

  await h.client.patch(podRef, 'busy', { metadata: { annotations: { 'skiff.io/simulated-cpu': '1500m' } } }, 'merge');
  await until(async () => {
    const later = await h.client.get(podMetricsRef, 'busy');
    return later.containers[0].usage.cpu === '1500m';
  }, 'the new usage');

  await h.client.delete(podRef, 'busy', { gracePeriodSeconds: 0 });
  await until(async () => !(await h.client.get(podMetricsRef, 'busy').catch(() => undefined)), 'PodMetrics removed');
});
