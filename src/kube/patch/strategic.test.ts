// Strategic merge patch, table-driven with the patches kubectl apply/patch/set image really send.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../api/errors.js';
import { schemaForKind } from '../schema/index.js';
import { strategicMergePatch } from './index.js';

const deployment = schemaForKind('apps', 'v1', 'Deployment');
const node = schemaForKind('', 'v1', 'Node');

const nginx = { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] };
const live = (containers: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a', 'b'] },
  spec: { replicas: 1, template: { spec: { containers, ...extra } } },
});
const podSpec = (o: Record<string, unknown>) => o.spec && (o.spec as any).template.spec;

const cases: { name: string; original: any; patch: any; expect: (result: any) => void }[] = [
  {
    name: 'kubectl apply: image change keeps ports and other containers ($setElementOrder)',
    original: live([nginx, { name: 'sidecar', image: 'busybox' }]),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }],
            containers: [{ name: 'nginx', image: 'nginx:1.27' }],
          },
        },
      },
    },
    expect: (r) =>
      assert.deepEqual(podSpec(r).containers, [
        { ...nginx, image: 'nginx:1.27' },
        { name: 'sidecar', image: 'busybox' },
      ]),
  },
  {
    name: 'kubectl apply: reorder and add a container by $setElementOrder',
    original: live([nginx, { name: 'b', image: 'b' }]),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'c' }, { name: 'b' }, { name: 'nginx' }],
            containers: [{ name: 'c', image: 'c' }],
          },
        },
      },
    },
    expect: (r) =>
      assert.deepEqual(
        podSpec(r).containers.map((c: any) => c.name),
        ['c', 'b', 'nginx'],
      ),
  },
  {
    name: 'server-only container keeps its place among ordered ones',
    original: live([{ name: 'injected', image: 'x' }, nginx]),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'new' }],
            containers: [{ name: 'new', image: 'n' }],
          },
        },
      },
    },
    expect: (r) =>
      assert.deepEqual(
        podSpec(r).containers.map((c: any) => c.name),
        ['injected', 'nginx', 'new'],
      ),
  },
  {
    name: 'kubectl apply: deleting a container ($patch: delete)',
    original: live([nginx, { name: 'old', image: 'old' }]),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [{ $patch: 'delete', name: 'old' }],
          },
        },
      },
    },
    expect: (r) => assert.deepEqual(podSpec(r).containers, [nginx]),
  },
  {
    name: 'env merged by name, one removed, one changed, order from $setElementOrder',
    original: live([
      {
        ...nginx,
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
          { name: 'C', value: '3' },
        ],
      },
    ]),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [
              {
                name: 'nginx',
                '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }],
                env: [
                  { name: 'C', value: '30' },
                  { $patch: 'delete', name: 'B' },
                ],
              },
            ],
          },
        },
      },
    },
    expect: (r) =>
      assert.deepEqual(podSpec(r).containers[0].env, [
        { name: 'C', value: '30' },
        { name: 'A', value: '1' },
      ]),
  },
  {
    // Without $setElementOrder, patch items come first and live-only items follow (apimachinery's mergeSortedSlice).
    name: 'ports merged by containerPort',
    original: live([nginx]),
    patch: {
      spec: { template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 443, name: 'https' }] }] } } },
    },
    expect: (r) =>
      assert.deepEqual(podSpec(r).containers[0].ports, [
        { containerPort: 443, name: 'https' },
        { containerPort: 80, protocol: 'TCP' },
      ]),
  },
  {
    name: 'volumes merged by name, null deletes a field inside an item',
    original: live([nginx], {
      volumes: [
        { name: 'data', emptyDir: { medium: 'Memory' } },
        { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
      ],
    }),
    patch: {
      spec: {
        template: {
          spec: {
            volumes: [
              { name: 'cfg', configMap: { defaultMode: null } },
              { name: 'new', emptyDir: {} },
            ],
          },
        },
      },
    },
    expect: (r) =>
      assert.deepEqual(podSpec(r).volumes, [
        { name: 'data', emptyDir: { medium: 'Memory' } },
        { name: 'cfg', configMap: { name: 'c' } },
        { name: 'new', emptyDir: {} },
      ]),
  },
  {
    name: 'tolerations have no merge strategy: the list is replaced',
    original: live([nginx], { tolerations: [{ key: 'a', operator: 'Exists' }] }),
    patch: { spec: { template: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } } } },
    expect: (r) => assert.deepEqual(podSpec(r).tolerations, [{ key: 'b', operator: 'Exists' }]),
  },
  {
    name: 'strategy switch to Recreate with $retainKeys drops rollingUpdate',
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } },
    expect: (r) => assert.deepEqual(r.spec.strategy, { type: 'Recreate' }),
  },
  {
    name: '$retainKeys clears keys the patch does not name',
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    expect: (r) => assert.deepEqual(r.spec.strategy, { type: 'Recreate' }),
  },
  {
    name: 'labels: null deletes one, others merge',
    original: live([nginx]),
    patch: { metadata: { labels: { tier: null, env: 'prod' } } },
    expect: (r) => assert.deepEqual(r.metadata.labels, { app: 'web', env: 'prod' }),
  },
  {
    name: 'labels: null deletes the whole map',
    original: live([nginx]),
    patch: { metadata: { labels: null } },
    expect: (r) => assert.equal(r.metadata.labels, undefined),
  },
  {
    name: 'finalizers: merge strategy unions primitives; $deleteFromPrimitiveList removes',
    original: live([nginx]),
    patch: { metadata: { finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['a'] } },
    expect: (r) => assert.deepEqual(r.metadata.finalizers, ['c', 'b']),
  },
  {
    name: '$patch: replace on a map replaces it',
    original: { spec: { template: { metadata: { labels: { a: '1', b: '2' } } } } },
    patch: { spec: { template: { metadata: { labels: { $patch: 'replace', c: '3' } } } } },
    expect: (r) => assert.deepEqual(r.spec.template.metadata.labels, { c: '3' }),
  },
  {
    name: '$patch: replace in a merged list replaces the list',
    original: live([nginx, { name: 'b', image: 'b' }]),
    patch: { spec: { template: { spec: { containers: [{ name: 'z', image: 'z' }, { $patch: 'replace' }] } } } },
    expect: (r) => assert.deepEqual(podSpec(r).containers, [{ name: 'z', image: 'z' }]),
  },
  {
    name: '$patch: delete on a map empties it; $patch: merge is a plain merge',
    original: { spec: { replicas: 2, template: { metadata: { annotations: { x: '1' } } } } },
    patch: { spec: { $patch: 'merge', template: { metadata: { annotations: { $patch: 'delete' } } } } },
    expect: (r) => assert.deepEqual(r.spec, { replicas: 2, template: { metadata: { annotations: {} } } }),
  },
  {
    name: 'rollout restart adds an annotation to a template that had none',
    original: live([nginx]),
    patch: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } } } },
    expect: (r) => assert.equal(r.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], 'now'),
  },
  {
    name: 'directives inside a brand-new field are resolved, not stored',
    original: { spec: { template: { spec: {} } } },
    patch: {
      spec: {
        template: {
          spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'a', image: 'a', env: null }] },
        },
      },
    },
    expect: (r) => assert.deepEqual(r.spec.template.spec, { containers: [{ name: 'a', image: 'a' }] }),
  },
];

for (const c of cases) {
  test(`strategic merge patch: ${c.name}`, () => {
    const before = structuredClone(c.original);
    c.expect(strategicMergePatch(c.original, c.patch, deployment));
    assert.deepEqual(c.original, before, 'original untouched');
  });
}

test('strategic merge patch: cordon sets spec.unschedulable on a node', () => {
  const result = strategicMergePatch(
    { spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } },
    { spec: { unschedulable: true } },
    node,
  );
  assert.deepEqual(result.spec, { taints: [{ key: 'k', effect: 'NoSchedule' }], unschedulable: true });
});

test('strategic merge patch: malformed patches are kube Status errors', () => {
  const fails = (patch: unknown, code: number, message: RegExp) =>
    assert.throws(
      () => strategicMergePatch(live([nginx]), patch, deployment),
      (e: unknown) => e instanceof ApiError && e.code === code && message.test(e.message),
    );
  fails([1], 400, /invalid JSON document/);
  fails({ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, 400, /retainKeys/);
  fails(
    { spec: { template: { spec: { containers: [{ image: 'x' }] } } } },
    400,
    /does not contain declared merge key: name/,
  );
  fails({ metadata: { $patch: 'bogus' } }, 400, /unknown patch type: bogus/);
});
