// removedFields walks only where two versions differ; it must give exactly the set difference of their whole field
// sets (key order included), checked here over a Pod's schema on hand-picked and randomly changed versions. And the
// set copy union/difference use must be what structuredClone made.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FieldsV1, objectFields } from '../patch/fieldset.js';
import type { JsonObject } from '../patch/json.js';
import { schemaForKind } from '../schema/index.js';
import { removedFields } from './diff.js';
import { copy, difference } from './sets.js';

const podSchema = schemaForKind('', 'v1', 'Pod');

const pod = (): JsonObject => ({
  metadata: {
    labels: { app: 'web', tier: 'front' },
    annotations: { note: 'x' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true }],
    finalizers: ['a', 'b'],
  },
  spec: {
    nodeName: 'n1',
    containers: [
      {
        name: 'web',
        image: 'nginx',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [{ name: 'A', value: '1' }],
      },
      { name: 'side', image: 'busybox', args: ['sleep', '1'] },
    ],
    tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
    nodeSelector: { zone: 'a' },
    volumes: [],
    securityContext: {},
  },
  status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }], podIP: '10.0.0.1' },
});

const expected = (old: JsonObject, next: JsonObject): FieldsV1 =>
  difference(objectFields(old, podSchema), objectFields(next, podSchema));

function same(old: JsonObject, next: JsonObject, what: string) {
  const got = removedFields(old, next, podSchema);
  const want = expected(old, next);
  assert.deepStrictEqual(got, want, what);
  assert.equal(JSON.stringify(got), JSON.stringify(want), `${what}: key order`);
}

test('removedFields is the difference of the two versions’ field sets', () => {
  const base = pod();
  same(base, pod(), 'equal versions');
  same(base, {}, 'everything removed');
  same({}, base, 'nothing before');
  const changes: [string, (p: any) => void][] = [
    ['label removed', (p) => delete p.metadata.labels.tier],
    ['labels emptied', (p) => (p.metadata.labels = {})],
    ['labels nulled', (p) => (p.metadata.labels = null)],
    ['security context filled', (p) => (p.spec.securityContext = { runAsUser: 1 })],
    ['node selector emptied', (p) => (p.spec.nodeSelector = {})],
    ['node selector to a string', (p) => (p.spec.nodeSelector = 'x')],
    ['container removed', (p) => p.spec.containers.pop()],
    ['container image changed', (p) => (p.spec.containers[0].image = 'nginx:2')],
    ['container port removed', (p) => (p.spec.containers[0].ports = [])],
    ['finalizer removed', (p) => p.metadata.finalizers.shift()],
    ['args changed (atomic list)', (p) => (p.spec.containers[1].args = ['sleep'])],
    ['status changed', (p) => (p.status = { phase: 'Running', podIP: '10.0.0.2' })],
    ['spec to an array', (p) => (p.spec = [1])],
    ['own key named like an Object method', (p) => (p.constructor = { x: 1 })],
    ['unknown nested', (p) => (p.spec.extra = { a: { b: 1 } })],
  ];
  for (const [what, change] of changes) {
    const next = pod();
    change(next);
    same(base, next, what);
    same(next, base, `${what} (reversed)`);
  }
});

test('removedFields matches on randomly changed versions', () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const mutate = (value: any, depth: number): unknown => {
    if (Array.isArray(value)) {
      const out = value.map((v) => mutate(v, depth + 1));
      if (random() < 0.2) out.pop();
      return out;
    }
    if (value && typeof value === 'object') {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        const r = random();
        if (r < 0.1) continue;
        out[k] = r < 0.15 ? null : r < 0.2 ? 'changed' : mutate(v, depth + 1);
      }
      if (random() < 0.1) out[`new${depth}`] = { x: depth };
      return out;
    }
    return random() < 0.1 ? `${value}!` : value;
  };
  for (let i = 0; i < 300; i++) {
    const a = mutate(pod(), 0) as JsonObject;
    const b = mutate(pod(), 0) as JsonObject;
    same(a, b, `random pair ${i}`);
  }
});

test('copy is a deep copy, as structuredClone made it', () => {
  const set: FieldsV1 = JSON.parse('{"f:a":{"f:b":{},"k:{\\"name\\":\\"x\\"}":{".":{}}},"__proto__":{"f:c":{}}}');
  const copied = copy(set);
  assert.deepStrictEqual(copied, structuredClone(set));
  assert.equal(JSON.stringify(copied), JSON.stringify(set));
  assert.notEqual(copied['f:a'], set['f:a']);
  assert.equal(Object.getPrototypeOf(copied), Object.prototype);
});
