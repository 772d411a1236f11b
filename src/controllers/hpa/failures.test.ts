// The HPA controller's failures against the real API, with Kubernetes' conditions and events: pods without
// requests, a target without PodMetrics, a target that does not exist.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { until } from '../../testing/until.js';
import { conditionOf, cpuHpa, HpaFixture, replicaSet } from './testing.js';

let f: HpaFixture;
before(async () => {
  f = await HpaFixture.start();
});
after(async () => f.stop());

describe('failures', () => {
  it('reports pods without CPU requests as Kubernetes does', async () => {
    await f.client.create(replicaSet('noreq', 1, undefined));
    await f.client.create(cpuHpa('noreq', { kind: 'ReplicaSet', name: 'noreq' }));
    const hpa = await f.hpaUntil(
      'noreq',
      'FailedGetResourceMetric for the missing request',
      (h) => /missing request/.test(conditionOf(h, 'ScalingActive')?.message ?? ''),
      () => f.settle('noreq', { cpu: '10m' }),
    );
    const condition = conditionOf(hpa, 'ScalingActive');
    assert.equal(condition.status, 'False');
    assert.match(
      condition.message,
      /^the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container c of Pod noreq-\w+$/,
    );
    assert.deepEqual(hpa.status.currentMetrics, [{ type: '' }]);
    const computed = await until(async () => {
      const failed = await f.eventsOf('noreq', 'FailedComputeMetricsReplicas');
      return failed.find((m) => /missing request/.test(m));
    }, 'FailedComputeMetricsReplicas');
    assert.match(
      computed,
      /^invalid metrics \(1 invalid out of 1\), first error is: failed to get cpu resource metric value: failed to get cpu utilization: missing request/,
    );
    const failed = await f.eventsOf('noreq', 'FailedGetResourceMetric');
    assert.ok(
      failed.some((m) =>
        /^failed to get cpu utilization: missing request for cpu in container c of Pod noreq-/.test(m),
      ),
    );
  });

  it('reports a target without PodMetrics', async () => {
    await f.client.create(replicaSet('nometrics', 1, { cpu: '100m' }));
    await f.client.create(cpuHpa('nometrics', { kind: 'ReplicaSet', name: 'nometrics' }));
    const hpa = await f.hpaUntil('nometrics', 'no metrics', (h) => conditionOf(h, 'ScalingActive')?.status === 'False');
    assert.equal(
      conditionOf(hpa, 'ScalingActive').message,
      'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    );
  });

  it('reports a missing target as FailedGetScale', async () => {
    await f.client.create(cpuHpa('ghost', { kind: 'ReplicaSet', name: 'ghost' }));
    const hpa = await f.hpaUntil(
      'ghost',
      'FailedGetScale',
      (h) => conditionOf(h, 'AbleToScale')?.reason === 'FailedGetScale',
    );
    assert.equal(conditionOf(hpa, 'AbleToScale').status, 'False');
    assert.match(
      conditionOf(hpa, 'AbleToScale').message,
      /^the HPA controller was unable to get the target's current scale: .*"ghost" not found/,
    );
    assert.ok((await f.eventsOf('ghost', 'FailedGetScale')).length > 0);
  });
});
