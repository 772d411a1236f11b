// The shared node-fit predicates, table-driven: tolerations against taints, which taint blocks a pod, node affinity
// operators (labels and metadata.name), nodeSelector, and the preferred terms' weights.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { matchesRequiredNodeAffinity, preferredNodeAffinityScore } from './node-affinity.js';
import { type Taint, type Toleration, tolerates, untoleratedTaint } from './taints.js';

const fargate: Taint = { key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' };
const testNode = (name: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
});
const podSpec = (spec: Record<string, unknown>) => ({ containers: [{ name: 'c', image: 'nginx' }], ...spec });

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
  it('a filter picks which effects count (NoExecute alone: may a running pod stay)', () => {
    const noExecute = (t: Taint) => t.effect === 'NoExecute';
    assert.equal(untoleratedTaint([fargate], [], noExecute), undefined);
    const evict = { key: 'x', effect: 'NoExecute' };
    assert.deepEqual(untoleratedTaint([fargate, evict], [], noExecute), evict);
  });
});

describe('node affinity', () => {
  const node = testNode('n1', { zone: 'a', size: '8', gpu: 'yes', big: '9007199254740993' });
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
      'matchFields takes only In and NotIn',
      {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'Exists' }] }],
          },
        },
      },
      false,
    ],
    ['Gt beyond 2^53 compares exactly', term('big', 'Gt', ['9007199254740992']), true],
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
    it(what, () => assert.equal(matchesRequiredNodeAffinity(podSpec({ affinity }), node), expected));
  }
  it('nodeSelector must match too', () => {
    assert.equal(matchesRequiredNodeAffinity(podSpec({ nodeSelector: { zone: 'a' } }), node), true);
    assert.equal(matchesRequiredNodeAffinity(podSpec({ nodeSelector: { zone: 'b' } }), node), false);
    assert.equal(
      matchesRequiredNodeAffinity(
        podSpec({ nodeSelector: { zone: 'a' }, affinity: term('gpu', 'DoesNotExist') }),
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
    assert.equal(preferredNodeAffinityScore(podSpec({ affinity }), node), 15);
  });
});
