// HPA conversion against the real API: an autoscaling/v1 HPA (as `kubectl autoscale` sends it) is stored as v2
// and read back in both versions; a v2 HPA's extra metrics, behavior and conditions survive a v1 round trip.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../api/types.js';
import type { KubeClient } from '../client/types.js';
import { inProcessClient } from '../index.js';
import { startTestApi, type TestApi } from '../testing/api.js';
import { hpaFromV1, hpaToV1 } from './hpa.js';

const ns = 'default';
const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', namespace: ns };
const v2 = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', namespace: ns };
const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
let api: TestApi;
let client: KubeClient;

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
});
after(async () => api.close());

it('stores a v1 HPA as v2, with the CPU target as a Resource metric and minReplicas defaulted', async () => {
  await client.create({
    ...v1,
    metadata: { name: 'from-v1', namespace: ns },
    spec: { scaleTargetRef: target, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
  });
  const stored = await client.get(v2, 'from-v1');
  assert.equal(stored.apiVersion, 'autoscaling/v2');
  assert.equal(stored.spec.minReplicas, 1);
  assert.deepEqual(stored.spec.metrics, [
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
  ]);
  assert.equal(stored.metadata.annotations, undefined);
  const asV1 = await client.get(v1, 'from-v1');
  assert.equal(asV1.apiVersion, 'autoscaling/v1');
  assert.equal(asV1.spec.targetCPUUtilizationPercentage, 50);
  assert.equal(asV1.metadata.annotations, undefined);
  const listed = await client.list(v1);
  assert.equal(listed.items.find((h) => h.metadata.name === 'from-v1')?.spec.targetCPUUtilizationPercentage, 50);
});

it('defaults a v1 HPA without a CPU target to 80% as Kubernetes does', async () => {
  await client.create({
    ...v1,
    metadata: { name: 'bare', namespace: ns },
    spec: { scaleTargetRef: target, maxReplicas: 3 },
  });
  const stored = await client.get(v2, 'bare');
  assert.equal(stored.spec.metrics[0].resource.target.averageUtilization, 80);
});

it('keeps v2-only fields across a v1 read and write', async () => {
  const memory = {
    type: 'Resource',
    resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } },
  };
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } };
  const behavior = { scaleDown: { stabilizationWindowSeconds: 30 } };
  await client.create({
    ...v2,
    metadata: { name: 'rich', namespace: ns, annotations: { team: 'a' } },
    spec: { scaleTargetRef: target, minReplicas: 2, maxReplicas: 9, metrics: [memory, cpu], behavior },
  });
  const asV1 = await client.get(v1, 'rich');
  assert.equal(asV1.spec.targetCPUUtilizationPercentage, 60);
  assert.equal(asV1.metadata.annotations?.team, 'a');
  assert.match(asV1.metadata.annotations?.['autoscaling.alpha.kubernetes.io/metrics'] ?? '', /targetAverageValue/);
  asV1.spec.maxReplicas = 10;
  await client.update(asV1);
  const stored = await client.get(v2, 'rich');
  assert.equal(stored.spec.maxReplicas, 10);
  assert.deepEqual(stored.spec.metrics, [memory, cpu]);
  assert.equal(stored.spec.behavior.scaleDown.stabilizationWindowSeconds, 30);
  assert.equal(stored.spec.behavior.scaleUp.selectPolicy, 'Max');
  assert.deepEqual(stored.metadata.annotations, { team: 'a' });
});

it('shows the CPU utilization and conditions of a v2 status in v1', () => {
  const hpa: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'h', namespace: ns },
    spec: { scaleTargetRef: target, minReplicas: 1, maxReplicas: 4, metrics: [] },
    status: {
      currentReplicas: 2,
      desiredReplicas: 3,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 75, averageValue: '150m' } } },
      ],
      conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' }],
    },
  };
  const old = hpaToV1(hpa);
  assert.equal(old.status.currentCPUUtilizationPercentage, 75);
  assert.equal(old.status.desiredReplicas, 3);
  const back = hpaFromV1(old);
  assert.deepEqual(back.status.currentMetrics, hpa.status.currentMetrics);
  assert.deepEqual(back.status.conditions, hpa.status.conditions);
});

it('rejects an HPA whose maxReplicas is below minReplicas', async () => {
  await assert.rejects(
    client.create({
      ...v2,
      metadata: { name: 'bad', namespace: ns },
      spec: { scaleTargetRef: target, minReplicas: 3, maxReplicas: 2 },
    }),
    /spec\.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`/,
  );
});
