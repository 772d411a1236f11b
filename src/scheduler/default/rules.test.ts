// Pod requests, FitError texts, scoring and preemption decisions, table-driven.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FilterStatus } from './filters.js';
import { runFilters } from './filters.js';
import { fitErrorMessage, noNodesAvailable, truncateNote } from './messages.js';
import { podInfo } from './node-info.js';
import { preempt } from './preemption.js';
import { podRequests } from './resources.js';
import { scoreNodes, selectHost } from './score.js';
import { nodeWith, type TestNode, type TestPod, testPod } from './testing.js';

const Mi = 1024 * 1024;

describe('podRequests', () => {
  const container = (cpu?: string, memory?: string, extra: Record<string, unknown> = {}) => ({
    name: 'c',
    image: 'i',
    resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
    ...extra,
  });
  const cases: [string, Record<string, unknown>, boolean, [number, number]][] = [
    [
      'containers add up',
      { containers: [container('100m', '64Mi'), container('250m', '128Mi')] },
      false,
      [350, 192 * Mi],
    ],
    [
      'an init container is a peak',
      { initContainers: [container('2', '1Mi')], containers: [container('1', '64Mi')] },
      false,
      [2000, 64 * Mi],
    ],
    [
      'sidecars add to both',
      {
        initContainers: [container('500m', '10Mi', { restartPolicy: 'Always' }), container('1', '1Mi')],
        containers: [container('200m', '20Mi')],
      },
      false,
      [1500, 30 * Mi],
    ],
    [
      'overhead on top',
      { containers: [container('100m', '64Mi')], overhead: { cpu: '250m', memory: '120Mi' } },
      false,
      [350, 184 * Mi],
    ],
    [
      'a limit stands in for a missing request',
      { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: '1', memory: '1Gi' } } }] },
      false,
      [1000, 1024 * Mi],
    ],
    ['nothing requested', { containers: [container()] }, false, [0, 0]],
    ['non-zero defaults for scoring', { containers: [container(), container('300m')] }, true, [400, 400 * Mi]],
  ];
  for (const [what, spec, nonZero, [cpu, memory]] of cases) {
    it(what, () => {
      const r = podRequests({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec }, nonZero);
      assert.deepEqual([r.milliCPU, r.memory], [cpu, memory]);
    });
  }
});

describe('fitErrorMessage', () => {
  const fargate = 'node(s) had untolerated taint {eks.amazonaws.com/compute-type: fargate}';
  it('counts and sorts reasons as kube-scheduler does', () => {
    assert.equal(
      fitErrorMessage(
        3,
        [[fargate], ['Insufficient cpu'], [fargate]],
        'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      ),
      `0/3 nodes are available: 1 Insufficient cpu, 2 ${fargate}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`,
    );
  });
  it('sorts the counted strings, so 10 comes before 2', () => {
    const reasons = [...Array(10).fill(['Insufficient memory']), ['Too many pods'], ['Too many pods']];
    assert.equal(fitErrorMessage(12, reasons), '0/12 nodes are available: 10 Insufficient memory, 2 Too many pods.');
  });
  it('has a text for no nodes at all', () => assert.equal(noNodesAvailable, 'no nodes available to schedule pods'));
  it('truncates event notes to 1024 bytes', () => {
    const long = 'x'.repeat(2000);
    assert.equal(truncateNote(long).length, 1024);
    assert.ok(truncateNote(long).endsWith(' ...'));
    assert.equal(truncateNote('short'), 'short');
  });
});

describe('scoring', () => {
  it('prefers the least allocated node', () => {
    const pod = podInfo(testPod({ cpu: '100m', memory: '100Mi' }));
    const nodes = [nodeWith({ name: 'busy' }, [{ name: 'a', cpu: '1', memory: '2Gi' }]), nodeWith({ name: 'idle' })];
    const scores = scoreNodes(pod, nodes);
    assert.ok(scores[1] > scores[0]);
    assert.equal(nodes[selectHost(scores)].name, 'idle');
  });
  it('avoids untolerated PreferNoSchedule taints and follows preferred affinity', () => {
    const pod = podInfo(
      testPod({
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 1, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
            ],
          },
        },
      }),
    );
    const soft = nodeWith({ name: 'soft', taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] });
    const ssd = nodeWith({ name: 'ssd', labels: { disk: 'ssd' } });
    const plain = nodeWith({ name: 'plain' });
    const scores = scoreNodes(pod, [soft, ssd, plain]);
    assert.ok(scores[1] > scores[2] && scores[2] > scores[0], String(scores));
  });
  it('breaks ties at random among the best', () => {
    assert.equal(
      selectHost([5, 9, 9, 1], () => 0.9),
      1,
    );
    assert.equal(
      selectHost([5, 9, 9, 1], () => 0.1),
      2,
    );
    assert.equal(selectHost([7]), 0);
  });
});

function decide(pod: TestPod, nodes: [TestNode, TestPod[]][]) {
  const info = podInfo(testPod(pod));
  const infos = nodes.map(([n, pods]) => nodeWith(n, pods));
  const statuses = new Map<string, FilterStatus>();
  for (const n of infos) {
    const s = runFilters(info, n);
    if (s) statuses.set(n.name, s);
  }
  return preempt(info, infos, statuses);
}

describe('preemption', () => {
  const fargate = { key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' };
  it('is not helpful when every node is rejected for good', () => {
    const result = decide({}, [
      [{ name: 'f1', taints: [fargate] }, []],
      [{ name: 'f2', taints: [fargate] }, []],
    ]);
    assert.deepEqual(result, {
      message: 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    });
  });
  it('finds no victims among pods of the same priority', () => {
    const result = decide({ cpu: '1' }, [
      [{ name: 'full', cpu: '1' }, [{ name: 'a', cpu: '1' }]],
      [{ name: 'f', taints: [fargate] }, []],
    ]);
    assert.deepEqual(result, {
      message:
        'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    });
  });
  it('reports what still does not fit without the lower-priority pods', () => {
    const result = decide({ cpu: '4', priority: 10 }, [[{ name: 'small', cpu: '2' }, [{ name: 'a', cpu: '1' }]]]);
    assert.deepEqual(result, { message: 'preemption: 0/1 nodes are available: 1 Insufficient cpu.' });
  });
  it('is refused with preemptionPolicy Never', () => {
    const result = decide({ cpu: '1', priority: 10, preemptionPolicy: 'Never' }, [
      [{ cpu: '1' }, [{ name: 'a', cpu: '1' }]],
    ]);
    assert.deepEqual(result, { message: 'preemption: not eligible due to preemptionPolicy=Never.' });
  });
  it('evicts as few and as unimportant pods as it can', () => {
    const result = decide({ cpu: '1', priority: 100 }, [
      [
        { name: 'n1', cpu: '2' },
        [
          { name: 'hi', cpu: '1', priority: 50 },
          { name: 'lo', cpu: '1', priority: 1 },
        ],
      ],
      [
        { name: 'n2', cpu: '2' },
        [
          { name: 'mid', cpu: '1', priority: 60 },
          { name: 'mid2', cpu: '1', priority: 60 },
        ],
      ],
    ]);
    assert.ok('node' in result);
    assert.equal(result.node, 'n1');
    assert.deepEqual(
      result.victims.map((v) => v.pod.metadata.name),
      ['lo'],
    );
  });
});
