// The filter plugins, table-driven: tolerations, node affinity operators, and which plugin rejects a node with what.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runFilters } from './filters.js';
import { matchesRequiredNodeAffinity, preferredNodeAffinityScore } from './node-affinity.js';
import { podInfo } from './node-info.js';
import { type Taint, type Toleration, tolerates, untoleratedTaint } from './taints.js';
import { nodeWith, testNode, testPod } from './testing.js';

const fargate: Taint = { key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' };

describe('tolerates', () => {
  const cases: [string, Toleration, Taint, boolean][] = [
    [
      'Equal with the same value',
      { key: 'k', operator: 'Equal', value: 'v' },
      { key: 'k', value: 'v', effect: 'NoSchedule' },
      true,
    ],
    ['Equal with another value', { key: 'k', value: 'w' }, { key: 'k', value: 'v', effect: 'NoSchedule' }, false],
    ['Exists on the key', { key: 'k', operator: 'Exists' }, { key: 'k', value: 'v', effect: 'NoExecute' }, true],
    ['Exists without key tolerates all', { operator: 'Exists' }, fargate, true],
    [
      'effect must match when given',
      { key: 'k', operator: 'Exists', effect: 'NoExecute' },
      { key: 'k', effect: 'NoSchedule' },
      false,
    ],
    ['empty value equals a missing one', { key: 'k', operator: 'Equal' }, { key: 'k', effect: 'NoSchedule' }, true],
    ['another key', { key: 'x', operator: 'Exists' }, { key: 'k', effect: 'NoSchedule' }, false],
    [
      'unknown operator',
      { key: 'k', operator: 'Gt', value: '1' },
      { key: 'k', value: '2', effect: 'NoSchedule' },
      false,
    ],
  ];
  for (const [what, toleration, taint, expected] of cases)
    it(what, () => assert.equal(tolerates(toleration, taint), expected));

  it('PreferNoSchedule taints never block', () => {
    assert.equal(untoleratedTaint([{ key: 'k', effect: 'PreferNoSchedule' }], []), undefined);
  });
  it('reports the first untolerated taint', () => {
    const taints = [{ key: 'a', effect: 'NoSchedule' }, fargate];
    assert.deepEqual(untoleratedTaint(taints, [{ key: 'a', operator: 'Exists' }]), fargate);
  });
});

describe('node affinity', () => {
  const node = testNode({ name: 'n1', labels: { zone: 'a', size: '8', gpu: 'yes' } });
  const term = (key: string, operator: string, values?: string[]) => ({
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key, operator, values }] }],
      },
    },
  });
  const cases: [string, unknown, boolean][] = [
    ['In', term('zone', 'In', ['a', 'b']), true],
    ['In, other value', term('zone', 'In', ['b']), false],
    ['NotIn', term('zone', 'NotIn', ['b']), true],
    ['NotIn on a missing label', term('missing', 'NotIn', ['b']), true],
    ['Exists', term('gpu', 'Exists'), true],
    ['DoesNotExist', term('gpu', 'DoesNotExist'), false],
    ['Gt', term('size', 'Gt', ['4']), true],
    ['Lt', term('size', 'Lt', ['4']), false],
    ['Gt on a non-number', term('zone', 'Gt', ['4']), false],
    [
      'matchFields metadata.name',
      {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
          },
        },
      },
      true,
    ],
    [
      'terms are ORed',
      {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z'] }] },
              { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] },
            ],
          },
        },
      },
      true,
    ],
    [
      'an empty term matches nothing',
      { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } },
      false,
    ],
  ];
  for (const [what, affinity, expected] of cases) {
    it(what, () => assert.equal(matchesRequiredNodeAffinity(testPod({ affinity }), node), expected));
  }
  it('nodeSelector must match too', () => {
    assert.equal(matchesRequiredNodeAffinity(testPod({ nodeSelector: { zone: 'a' } }), node), true);
    assert.equal(matchesRequiredNodeAffinity(testPod({ nodeSelector: { zone: 'b' } }), node), false);
    assert.equal(
      matchesRequiredNodeAffinity(
        testPod({ nodeSelector: { zone: 'a' }, affinity: term('gpu', 'DoesNotExist') }),
        node,
      ),
      false,
    );
  });
  it('preferred terms add their weights', () => {
    const affinity = {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
          { weight: 5, preference: { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] } },
          { weight: 7, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] } },
        ],
      },
    };
    assert.equal(preferredNodeAffinityScore(testPod({ affinity }), node), 15);
  });
});

describe('runFilters', () => {
  const cases: [string, Parameters<typeof nodeWith>, Parameters<typeof testPod>[0], string | undefined, string[]][] = [
    ['fits', [{}], { cpu: '1' }, undefined, []],
    ['cordoned', [{ unschedulable: true }], {}, 'UnschedulableAndUnresolvable', ['node(s) were unschedulable']],
    [
      'cordoned, but tolerated',
      [{ unschedulable: true }],
      { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] },
      undefined,
      [],
    ],
    [
      'Fargate node',
      [{ taints: [fargate], pods: 1 }],
      {},
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {eks.amazonaws.com/compute-type: fargate}'],
    ],
    [
      'taint without value',
      [{ taints: [{ key: 'dedicated', effect: 'NoExecute' }] }],
      {},
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {dedicated: }'],
    ],
    [
      'not ready',
      [{ ready: 'False' }],
      {},
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    ],
    [
      'unreachable',
      [{ ready: 'Unknown' }],
      {},
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'],
    ],
    [
      'no Ready condition',
      [{ ready: 'none' }],
      {},
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    ],
    [
      'node selector',
      [{}],
      { nodeSelector: { disk: 'ssd' } },
      'UnschedulableAndUnresolvable',
      ["node(s) didn't match Pod's node affinity/selector"],
    ],
    [
      'host port taken',
      [{}, [{ name: 'web', hostPort: 8080 }]],
      { hostPort: 8080 },
      'Unschedulable',
      ["node(s) didn't have free ports for the requested pod ports"],
    ],
    ['other host port', [{}, [{ name: 'web', hostPort: 8080 }]], { hostPort: 8081 }, undefined, []],
    ['cpu', [{ cpu: '2' }, [{ name: 'a', cpu: '1500m' }]], { cpu: '600m' }, 'Unschedulable', ['Insufficient cpu']],
    ['cpu exactly full', [{ cpu: '2' }, [{ name: 'a', cpu: '1500m' }]], { cpu: '500m' }, undefined, []],
    [
      'cpu and memory',
      [{ cpu: '1', memory: '1Gi' }],
      { cpu: '2', memory: '2Gi' },
      'Unschedulable',
      ['Insufficient cpu', 'Insufficient memory'],
    ],
    ['pod count', [{ pods: 1 }, [{ name: 'a' }]], {}, 'Unschedulable', ['Too many pods']],
    [
      'pod count and cpu',
      [{ pods: 1, cpu: '1' }, [{ name: 'a', cpu: '1' }]],
      { cpu: '1' },
      'Unschedulable',
      ['Too many pods', 'Insufficient cpu'],
    ],
    [
      'taints come before resources',
      [{ taints: [fargate], pods: 0 }],
      { cpu: '64' },
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {eks.amazonaws.com/compute-type: fargate}'],
    ],
  ];
  for (const [what, [node, pods], pod, code, reasons] of cases) {
    it(what, () => {
      const status = runFilters(podInfo(testPod(pod)), nodeWith(node, pods));
      assert.equal(status?.code, code);
      assert.deepEqual(status?.reasons ?? [], reasons);
    });
  }
});
