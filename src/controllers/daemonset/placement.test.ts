// Which nodes a DaemonSet runs on, table-driven: nodeSelector, required node affinity (labels and metadata.name),
// taints against the template's tolerations plus the daemon tolerations, and the Fargate node's taint.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { addDaemonTolerations, nodeShouldRunDaemonPod } from './placement.js';

function node(name: string, labels: Record<string, string> = {}, taints: object[] = []): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints } };
}

function ds(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: { template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c' }], ...spec } } },
  };
}

const fargate = node(
  'fargate-ip-10-0-130-7.ap-northeast-2.compute.internal',
  { 'eks.amazonaws.com/compute-type': 'fargate' },
  [{ key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' }],
);
const plain = node('ip-10-0-1-5.ap-northeast-2.compute.internal', { zone: 'a', cores: '8' });
const affinity = (terms: object[]) => ({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } },
});
const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, values }] });

const cases: [string, KubeObject, KubeObject, boolean, boolean][] = [
  ['an untainted node runs it', plain, ds(), true, true],
  ['a Fargate node does not', fargate, ds(), false, true],
  ['nodeSelector matches', plain, ds({ nodeSelector: { zone: 'a' } }), true, true],
  ['nodeSelector misses', plain, ds({ nodeSelector: { zone: 'b' } }), false, false],
  ['affinity In', plain, ds(affinity([expr('zone', 'In', ['a', 'b'])])), true, true],
  ['affinity NotIn', plain, ds(affinity([expr('zone', 'NotIn', ['a'])])), false, false],
  ['affinity NotIn on a missing label', plain, ds(affinity([expr('gpu', 'NotIn', ['x'])])), true, true],
  ['affinity DoesNotExist', plain, ds(affinity([expr('zone', 'DoesNotExist')])), false, false],
  ['affinity Gt', plain, ds(affinity([expr('cores', 'Gt', ['4'])])), true, true],
  ['affinity Lt', plain, ds(affinity([expr('cores', 'Lt', ['4'])])), false, false],
  ['any one term suffices', plain, ds(affinity([expr('zone', 'In', ['z']), expr('zone', 'Exists')])), true, true],
  ['an empty term matches nothing', plain, ds(affinity([{}])), false, false],
  [
    'matchFields metadata.name',
    plain,
    ds(affinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [plain.metadata.name] }] }])),
    true,
    true,
  ],
  [
    'Fargate kept off by affinity NotIn fargate',
    fargate,
    ds(affinity([expr('eks.amazonaws.com/compute-type', 'NotIn', ['fargate'])])),
    false,
    false,
  ],
  ['template nodeName elsewhere', plain, ds({ nodeName: 'other' }), false, false],
  ['blanket toleration reaches Fargate', fargate, ds({ tolerations: [{ operator: 'Exists' }] }), true, true],
  [
    'toleration by key and value',
    node('n', {}, [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }]),
    ds({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }] }),
    true,
    true,
  ],
  [
    'toleration with another value',
    node('n', {}, [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }]),
    ds({ tolerations: [{ key: 'dedicated', value: 'db' }] }),
    false,
    true,
  ],
  ['untolerated NoExecute evicts', node('n', {}, [{ key: 'x', effect: 'NoExecute' }]), ds(), false, false],
  ['PreferNoSchedule is ignored', node('n', {}, [{ key: 'x', effect: 'PreferNoSchedule' }]), ds(), true, true],
  [
    'cordoned nodes still run daemon pods',
    node('n', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]),
    ds(),
    true,
    true,
  ],
  [
    'not-ready nodes keep them',
    node('n', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]),
    ds(),
    true,
    true,
  ],
  [
    'network-unavailable only for hostNetwork',
    node('n', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]),
    ds(),
    false,
    true,
  ],
  [
    'network-unavailable tolerated with hostNetwork',
    node('n', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]),
    ds({ hostNetwork: true }),
    true,
    true,
  ],
];

for (const [name, n, d, shouldRun, shouldContinueRunning] of cases) {
  it(name, () => {
    assert.deepEqual(nodeShouldRunDaemonPod(n, d), { shouldRun, shouldContinueRunning });
  });
}

it('adds the daemon tolerations once, replacing an equal one', () => {
  const spec = { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] };
  addDaemonTolerations(spec);
  addDaemonTolerations(spec);
  assert.deepEqual(
    spec.tolerations.map((t: any) => `${t.key}:${t.effect}`),
    [
      'node.kubernetes.io/unschedulable:NoSchedule',
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
    ],
  );
});
