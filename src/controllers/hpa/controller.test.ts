// The HPA controller against the real in-process API with the ReplicaSet controller: pods are marked running and
// their PodMetrics written as an agent would; the controller scales through the scale subresource, keeps the
// scale-down stabilization window (on an injected clock), honours min/max, and reports conditions and events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { conditionOf, cpuHpa, HpaFixture, ns, replicaSet, rsRef } from './testing.js';

let f: HpaFixture;
before(async () => {
  f = await HpaFixture.start();
});
after(async () => f.stop());

describe('scaling on CPU utilization', () => {
  let cpu = '200m';
  const tick = () => f.settle('web', { cpu });

  it('scales up when CPU rises, by at most max(2×, 4) per sync, then stops at maxReplicas', async () => {
    await f.client.create(replicaSet('web', 2, { cpu: '100m' }));
    await f.client.create(cpuHpa('web', { kind: 'ReplicaSet', name: 'web' }));
    const hpa = await f.hpaUntil(
      'web',
      'six replicas limited by maxReplicas',
      (h) => h.status?.currentReplicas === 6 && conditionOf(h, 'ScalingLimited')?.reason === 'TooManyReplicas',
      tick,
    );
    assert.equal((await f.client.get(rsRef, 'web')).spec.replicas, 6);
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
    const rescales = await f.eventsOf('web', 'SuccessfulRescale');
    assert.equal(rescales[0], 'New size: 4; reason: cpu resource utilization (percentage of request) above target');
    assert.ok(rescales.includes('New size: 6; reason: cpu resource utilization (percentage of request) above target'));
  });

  it('scales down only after the 5-minute stabilization window when CPU falls', async () => {
    cpu = '10m';
    const held = await f.hpaUntil(
      'web',
      'ScaleDownStabilized',
      (h) => conditionOf(h, 'AbleToScale')?.reason === 'ScaleDownStabilized',
      tick,
    );
    assert.equal(held.status.desiredReplicas, 6);
    assert.equal(held.status.currentMetrics[0].resource.current.averageUtilization, 10);
    assert.equal((await f.client.get(rsRef, 'web')).spec.replicas, 6);
    f.clock += 301_000;
    await f.hpaUntil('web', 'scaled down to 2', (h) => h.status?.desiredReplicas === 2, tick);
    assert.equal((await f.client.get(rsRef, 'web')).spec.replicas, 2);
    assert.ok((await f.eventsOf('web', 'SuccessfulRescale')).includes('New size: 2; reason: All metrics below target'));
  });
});

describe('targets and limits', () => {
  it('scales a Deployment on an AverageValue memory target with spec.behavior', async () => {
    await f.client.create({
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
    await f.client.create({ ...replicaSet('mem', 2, undefined), metadata: { name: 'mem-pods', namespace: ns } });
    const memory = {
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } },
    };
    const behavior = { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } };
    await f.client.create(cpuHpa('mem', { kind: 'Deployment', name: 'mem' }, { metrics: [memory], behavior }));
    const hpa = await f.hpaUntil(
      'mem',
      'one more replica',
      (h) => h.status?.desiredReplicas === 3,
      () => f.settle('mem', { memory: '150Mi' }),
    );
    assert.equal(
      (await f.client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns }, 'mem')).spec.replicas,
      3,
    );
    assert.deepEqual(hpa.status.currentMetrics, [
      { type: 'Resource', resource: { name: 'memory', current: { averageValue: '157286400' } } },
    ]);
    assert.equal(hpa.spec.behavior.scaleDown.selectPolicy, 'Max');
    assert.ok(
      (await f.eventsOf('mem', 'SuccessfulRescale')).includes('New size: 3; reason: memory resource above target'),
    );
  });

  it('brings a target above maxReplicas down to it', async () => {
    await f.client.create(replicaSet('big', 5, { cpu: '100m' }));
    await f.client.create(cpuHpa('big', { kind: 'ReplicaSet', name: 'big' }, { maxReplicas: 3 }));
    await f.hpaUntil(
      'big',
      'three replicas',
      (h) => h.status?.desiredReplicas === 3,
      () => f.settle('big', { cpu: '50m' }),
    );
    assert.equal((await f.client.get(rsRef, 'big')).spec.replicas, 3);
    assert.deepEqual(await f.eventsOf('big', 'SuccessfulRescale'), [
      'New size: 3; reason: Current number of replicas above Spec.MaxReplicas',
    ]);
  });
});
