// The replica calculator, table-driven: Kubernetes' proposals for utilization and average-value targets with the
// tolerance, unready and missing pods, and its errors; plus the quantity and duration formats it reads and writes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { type PodMetricsByName, podRequests, rawResourceReplicas, resourceReplicas } from './replicas.js';
import { durationMs, formatMilli, milliValue } from './values.js';

const now = Date.parse('2025-01-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const options = { now, tolerance: 0.1, cpuInitializationPeriodMs: 300_000, initialReadinessDelayMs: 30_000 };

interface PodCase {
  name: string;
  phase?: string;
  ready?: boolean;
  startedAgoMs?: number;
  readyAgoMs?: number;
  request?: string | null;
  deleting?: boolean;
}

function pod(p: PodCase): KubeObject {
  const startedAgo = p.startedAgoMs ?? 600_000;
  const requests = p.request === null ? {} : { cpu: p.request ?? '100m', memory: '100Mi' };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, ...(p.deleting ? { deletionTimestamp: iso(now) } : {}) },
    spec: { containers: [{ name: 'app', image: 'x', resources: { requests } }] },
    status: {
      phase: p.phase ?? 'Running',
      startTime: iso(now - startedAgo),
      conditions: [
        {
          type: 'Ready',
          status: p.ready === false ? 'False' : 'True',
          lastTransitionTime: iso(now - (p.readyAgoMs ?? startedAgo)),
        },
      ],
    },
  };
}

const usage = (values: Record<string, string>): PodMetricsByName =>
  new Map(
    Object.entries(values).map(([name, q]) => [name, { value: milliValue(q), timestampMs: now, windowMs: 15_000 }]),
  );

describe('utilization targets', () => {
  const cases: {
    what: string;
    current: number;
    target: number;
    pods: PodCase[];
    use: Record<string, string>;
    want: number;
    util?: number;
  }[] = [
    {
      what: 'scales up by the usage ratio',
      current: 2,
      target: 50,
      pods: [{ name: 'a' }, { name: 'b' }],
      use: { a: '200m', b: '200m' },
      want: 8,
      util: 200,
    },
    {
      what: 'scales down by the usage ratio',
      current: 4,
      target: 50,
      pods: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }],
      use: { a: '10m', b: '10m', c: '10m', d: '10m' },
      want: 1,
      util: 10,
    },
    {
      what: 'stays within the 0.1 tolerance',
      current: 3,
      target: 50,
      pods: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
      use: { a: '54m', b: '54m', c: '54m' },
      want: 3,
      util: 54,
    },
    {
      what: 'leaves out deleting and failed pods',
      current: 2,
      target: 50,
      pods: [{ name: 'a' }, { name: 'b', deleting: true }, { name: 'c', phase: 'Failed' }],
      use: { a: '100m', b: '900m', c: '900m' },
      want: 2,
      util: 100,
    },
    {
      what: 'counts missing pods as idle on a scale-up',
      current: 2,
      target: 50,
      pods: [{ name: 'a' }, { name: 'b' }],
      use: { a: '200m' },
      want: 4,
    },
    {
      what: 'counts missing pods at their request on a scale-down',
      current: 2,
      target: 50,
      pods: [{ name: 'a' }, { name: 'b' }],
      use: { a: '10m' },
      want: 2,
    },
    {
      what: 'counts pending pods as idle on a scale-up',
      current: 3,
      target: 50,
      pods: [{ name: 'a' }, { name: 'b' }, { name: 'p', phase: 'Pending' }],
      use: { a: '100m', b: '100m' },
      want: 4,
    },
    {
      what: 'ignores CPU samples of a pod still warming up',
      current: 2,
      target: 50,
      pods: [{ name: 'a' }, { name: 'b', startedAgoMs: 60_000, readyAgoMs: 10_000 }],
      use: { a: '200m', b: '900m' },
      want: 4,
      util: 200,
    },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const result = resourceReplicas(c.current, c.target, 'cpu', c.pods.map(pod), usage(c.use), options);
      assert.equal(result.replicas, c.want);
      if (c.util !== undefined) assert.equal(result.utilization, c.util);
    });
  }

  it('reports a container without a request as Kubernetes does', () => {
    assert.throws(
      () => resourceReplicas(1, 50, 'cpu', [pod({ name: 'a', request: null })], usage({ a: '10m' }), options),
      { message: 'missing request for cpu in container app of Pod a' },
    );
  });

  it('reports pods that are all unready', () => {
    assert.throws(
      () => resourceReplicas(1, 50, 'cpu', [pod({ name: 'a', phase: 'Pending' })], usage({ a: '10m' }), options),
      {
        message: 'did not receive metrics for targeted pods (pods might be unready)',
      },
    );
    assert.throws(() => resourceReplicas(1, 50, 'cpu', [], usage({}), options), {
      message: 'no pods returned by selector while calculating replica count',
    });
  });

  it('sums the requests of app containers and restartable init containers', () => {
    const p = pod({ name: 'a', request: '250m' });
    p.spec.initContainers = [
      { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '0.5' } } },
      { name: 'init', resources: {} },
    ];
    assert.deepEqual(podRequests([p], 'cpu'), new Map([['a', 750]]));
  });
});

describe('average value targets', () => {
  it('scales by average usage against the target', () => {
    const pods = [pod({ name: 'a' }), pod({ name: 'b' })];
    const result = rawResourceReplicas(
      2,
      milliValue('100Mi'),
      'memory',
      pods,
      usage({ a: '150Mi', b: '150Mi' }),
      options,
    );
    assert.deepEqual(result, { replicas: 3, usage: milliValue('150Mi') });
  });
});

describe('values', () => {
  it('formats thousandths canonically and reads Go durations', () => {
    assert.equal(formatMilli(250), '250m');
    assert.equal(formatMilli(1500), '1500m');
    assert.equal(formatMilli(2000), '2');
    assert.equal(formatMilli(milliValue('64Mi')), '67108864');
    assert.equal(formatMilli(milliValue('64M')), '64M');
    assert.equal(formatMilli(0), '0');
    assert.equal(durationMs('15s'), 15_000);
    assert.equal(durationMs('1m0.5s'), 60_500);
    assert.equal(durationMs('soon'), 0);
  });
});
