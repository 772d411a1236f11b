// The HPA controller against the real in-process API with the ReplicaSet controller: pods are marked running and
// their PodMetrics written as an agent would; the controller scales through the scale subresource, keeps the
// scale-down stabilization window (on an injected clock), honours min/max, and reports conditions and events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { ReplicaSetController } from '../replicaset/controller.js';
import { HorizontalPodAutoscalerController } from './controller.js';

const ns = 'default';
const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: ns };
const metricsRef = { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', namespace: ns };
const rsRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns };
const hpaRef = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', namespace: ns };
let api: TestApi;
let client: KubeClient;
let replicaSets: ReplicaSetController;
let hpas: HorizontalPodAutoscalerController;
let clock = Date.now();
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const errors: unknown[] = [];

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  // The ReplicaSet controller meets conflicts with the HPA's scale writes and retries them.
  replicaSets = new ReplicaSetController(client, { onError: (e: any) => e?.code !== 409 && errors.push(e) });
  hpas = new HorizontalPodAutoscalerController(client, {
    syncPeriodMs: 30,
    now: () => clock,
    onError: (e) => errors.push(e),
  });
  await replicaSets.start();
  await hpas.start();
});
after(async () => {
  hpas.stop();
  replicaSets.stop();
  await api.close();
  assert.deepEqual(errors, []);
});

function replicaSet(app: string, replicas: number, requests: Record<string, string> | undefined): KubeObject {
  return {
    ...rsRef,
    metadata: { name: app, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: { containers: [{ name: 'c', image: 'nginx', resources: requests ? { requests } : {} }] },
      },
    },
  };
}

function cpuHpa(
  name: string,
  target: { kind: string; name: string; apiVersion?: string },
  spec: object = {},
): KubeObject {
  return {
    ...hpaRef,
    metadata: { name, namespace: ns },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', ...target },
      minReplicas: 1,
      maxReplicas: 6,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      ],
      ...spec,
    },
  };
}

/** What the scheduler and agent would do: each live pod of `app` Running and Ready, its PodMetrics current. */
async function settle(app: string, usage: { cpu?: string; memory?: string }): Promise<number> {
  const pods = (await client.list(podRef, { labelSelector: `app=${app}` })).items.filter(
    (p) => !p.metadata.deletionTimestamp,
  );
  const names = new Set(pods.map((p) => p.metadata.name));
  for (const pod of pods) {
    if (pod.status?.phase !== 'Running') {
      const since = iso(clock - 600_000);
      const conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: since }];
      await client.update(
        { ...pod, status: { phase: 'Running', startTime: since, conditions } },
        { subresource: 'status' },
      );
    }
    const metrics = {
      ...metricsRef,
      metadata: { name: pod.metadata.name, namespace: ns, labels: pod.metadata.labels },
      timestamp: iso(clock),
      window: '15s',
      containers: [{ name: 'c', usage: { cpu: usage.cpu ?? '1m', memory: usage.memory ?? '8Mi' } }],
    };
    const existing = await client.get(metricsRef, pod.metadata.name!).catch(() => undefined);
    if (existing) await client.update({ ...metrics, metadata: existing.metadata });
    else await client.create(metrics);
  }
  for (const m of (await client.list(metricsRef, { labelSelector: `app=${app}` })).items)
    if (!names.has(m.metadata.name)) await client.delete(metricsRef, m.metadata.name!);
  return pods.length;
}

const conditionOf = (hpa: KubeObject, type: string) => hpa.status?.conditions?.find((c: any) => c.type === type);

async function hpaUntil(
  name: string,
  what: string,
  check: (hpa: KubeObject) => boolean,
  tick?: () => Promise<unknown>,
) {
  return until(async () => {
    await tick?.();
    const hpa = await client.get(hpaRef, name);
    return check(hpa) && hpa;
  }, what);
}

async function eventsOf(name: string, reason: string): Promise<string[]> {
  const list = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns });
  return list.items.filter((e) => e.involvedObject?.name === name && e.reason === reason).map((e) => e.message);
}

describe('scaling on CPU utilization', () => {
  let cpu = '200m';
  const tick = () => settle('web', { cpu });

  it('scales up when CPU rises, by at most max(2×, 4) per sync, then stops at maxReplicas', async () => {
    await client.create(replicaSet('web', 2, { cpu: '100m' }));
    await client.create(cpuHpa('web', { kind: 'ReplicaSet', name: 'web' }));
    const hpa = await hpaUntil(
      'web',
      'six replicas limited by maxReplicas',
      (h) => h.status?.currentReplicas === 6 && conditionOf(h, 'ScalingLimited')?.reason === 'TooManyReplicas',
      tick,
    );
    assert.equal((await client.get(rsRef, 'web')).spec.replicas, 6);
    assert.equal(hpa.status.desiredReplicas, 6);
    assert.ok(hpa.status.lastScaleTime);
    assert.deepEqual(hpa.status.currentMetrics, [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 200, averageValue: '200m' } } },
    ]);
    assert.equal(conditionOf(hpa, 'ScalingLimited').status, 'True');
    assert.equal(conditionOf(hpa, 'AbleToScale').status, 'True');
    assert.deepEqual(
      { ...conditionOf(hpa, 'ScalingActive'), lastTransitionTime: undefined },
      {
        type: 'ScalingActive',
        status: 'True',
        reason: 'ValidMetricFound',
        message:
          'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
        lastTransitionTime: undefined,
      },
    );
    const rescales = await eventsOf('web', 'SuccessfulRescale');
    assert.equal(rescales[0], 'New size: 4; reason: cpu resource utilization (percentage of request) above target');
    assert.ok(rescales.includes('New size: 6; reason: cpu resource utilization (percentage of request) above target'));
  });

  it('scales down only after the 5-minute stabilization window when CPU falls', async () => {
    cpu = '10m';
    const held = await hpaUntil(
      'web',
      'ScaleDownStabilized',
      (h) => conditionOf(h, 'AbleToScale')?.reason === 'ScaleDownStabilized',
      tick,
    );
    assert.equal(held.status.desiredReplicas, 6);
    assert.equal(held.status.currentMetrics[0].resource.current.averageUtilization, 10);
    assert.equal((await client.get(rsRef, 'web')).spec.replicas, 6);
    clock += 301_000;
    await hpaUntil('web', 'scaled down to 2', (h) => h.status?.desiredReplicas === 2, tick);
    assert.equal((await client.get(rsRef, 'web')).spec.replicas, 2);
    assert.ok((await eventsOf('web', 'SuccessfulRescale')).includes('New size: 2; reason: All metrics below target'));
  });
});

describe('targets and limits', () => {
  it('scales a Deployment on an AverageValue memory target with spec.behavior', async () => {
    await client.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'mem', namespace: ns },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'mem' } },
        template: { metadata: { labels: { app: 'mem' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    });
    // The pods come from a ReplicaSet of their own: no deployment controller runs here.
    await client.create({ ...replicaSet('mem', 2, undefined), metadata: { name: 'mem-pods', namespace: ns } });
    const memory = {
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } },
    };
    const behavior = { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } };
    await client.create(cpuHpa('mem', { kind: 'Deployment', name: 'mem' }, { metrics: [memory], behavior }));
    const hpa = await hpaUntil(
      'mem',
      'one more replica',
      (h) => h.status?.desiredReplicas === 3,
      () => settle('mem', { memory: '150Mi' }),
    );
    assert.equal(
      (await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns }, 'mem')).spec.replicas,
      3,
    );
    assert.deepEqual(hpa.status.currentMetrics, [
      { type: 'Resource', resource: { name: 'memory', current: { averageValue: '157286400' } } },
    ]);
    assert.equal(hpa.spec.behavior.scaleDown.selectPolicy, 'Max');
    assert.ok(
      (await eventsOf('mem', 'SuccessfulRescale')).includes('New size: 3; reason: memory resource above target'),
    );
  });

  it('brings a target above maxReplicas down to it', async () => {
    await client.create(replicaSet('big', 5, { cpu: '100m' }));
    await client.create(cpuHpa('big', { kind: 'ReplicaSet', name: 'big' }, { maxReplicas: 3 }));
    await hpaUntil(
      'big',
      'three replicas',
      (h) => h.status?.desiredReplicas === 3,
      () => settle('big', { cpu: '50m' }),
    );
    assert.equal((await client.get(rsRef, 'big')).spec.replicas, 3);
    assert.deepEqual(await eventsOf('big', 'SuccessfulRescale'), [
      'New size: 3; reason: Current number of replicas above Spec.MaxReplicas',
    ]);
  });
});

describe('failures', () => {
  it('reports pods without CPU requests as Kubernetes does', async () => {
    await client.create(replicaSet('noreq', 1, undefined));
    await client.create(cpuHpa('noreq', { kind: 'ReplicaSet', name: 'noreq' }));
    const hpa = await hpaUntil(
      'noreq',
      'FailedGetResourceMetric for the missing request',
      (h) => /missing request/.test(conditionOf(h, 'ScalingActive')?.message ?? ''),
      () => settle('noreq', { cpu: '10m' }),
    );
    const condition = conditionOf(hpa, 'ScalingActive');
    assert.equal(condition.status, 'False');
    assert.match(
      condition.message,
      /^the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container c of Pod noreq-\w+$/,
    );
    assert.deepEqual(hpa.status.currentMetrics, [{ type: '' }]);
    const computed = await until(async () => {
      const failed = await eventsOf('noreq', 'FailedComputeMetricsReplicas');
      return failed.find((m) => /missing request/.test(m));
    }, 'FailedComputeMetricsReplicas');
    assert.match(
      computed,
      /^invalid metrics \(1 invalid out of 1\), first error is: failed to get cpu resource metric value: failed to get cpu utilization: missing request/,
    );
    const failed = await eventsOf('noreq', 'FailedGetResourceMetric');
    assert.ok(
      failed.some((m) =>
        /^failed to get cpu utilization: missing request for cpu in container c of Pod noreq-/.test(m),
      ),
    );
  });

  it('reports a target without PodMetrics', async () => {
    await client.create(replicaSet('nometrics', 1, { cpu: '100m' }));
    await client.create(cpuHpa('nometrics', { kind: 'ReplicaSet', name: 'nometrics' }));
    const hpa = await hpaUntil('nometrics', 'no metrics', (h) => conditionOf(h, 'ScalingActive')?.status === 'False');
    assert.equal(
      conditionOf(hpa, 'ScalingActive').message,
      'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    );
  });

  it('reports a missing target as FailedGetScale', async () => {
    await client.create(cpuHpa('ghost', { kind: 'ReplicaSet', name: 'ghost' }));
    const hpa = await hpaUntil(
      'ghost',
      'FailedGetScale',
      (h) => conditionOf(h, 'AbleToScale')?.reason === 'FailedGetScale',
    );
    assert.equal(conditionOf(hpa, 'AbleToScale').status, 'False');
    assert.match(
      conditionOf(hpa, 'AbleToScale').message,
      /^the HPA controller was unable to get the target's current scale: .*"ghost" not found/,
    );
    assert.ok((await eventsOf('ghost', 'FailedGetScale')).length > 0);
  });
});
