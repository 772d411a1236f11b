// copyOf makes what structuredClone makes: equal values, fresh objects, shared parts still shared, cycles kept, and
// whatever it does not copy itself handed to structuredClone (with structuredClone's own error). copyOfTree, for
// values with no shared parts, makes the same copy of a tree and leaves anything else (a cycle, a Date) to copyOf.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyOf, copyOfTree } from './copy.js';

const same = (value: unknown) => {
  const copied = copyOf(value);
  assert.deepStrictEqual(copied, structuredClone(value));
  return copied;
};

test('plain values are copied deeply, key order and undefined fields kept', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { b: '1', a: '2', 10: 'n' }, annotations: undefined },
    spec: { containers: [{ name: 'c', args: ['-x', ''], ports: [{ containerPort: 80 }] }], zero: -0, big: 10n },
    status: null,
  };
  const copied = same(pod) as typeof pod;
  assert.notEqual(copied, pod);
  assert.notEqual(copied.spec.containers[0], pod.spec.containers[0]);
  assert.deepEqual(Object.keys(copied.metadata), ['name', 'labels', 'annotations']);
  assert.deepEqual(Object.keys(copied.metadata.labels), Object.keys(pod.metadata.labels));
  assert.ok(Object.is(copied.spec.zero, -0));
  for (const primitive of [1, 'x', true, null, undefined]) assert.equal(copyOf(primitive), primitive);
});

test('shared parts stay shared and cycles are kept, as structuredClone keeps them', () => {
  const labels = { app: 'web' };
  const object: any = { metadata: { labels }, spec: { selector: { matchLabels: labels } } };
  object.self = object;
  const copied = copyOf(object);
  assert.equal(copied.metadata.labels, copied.spec.selector.matchLabels);
  assert.notEqual(copied.metadata.labels, labels);
  assert.equal(copied.self, copied);
});

test('an own __proto__ key stays an own key; a null-prototype object becomes a plain one', () => {
  const parsed = JSON.parse('{"__proto__":{"x":1},"y":2}');
  const copied = same(parsed) as object;
  assert.equal(Object.getPrototypeOf(copied), Object.prototype);
  assert.deepEqual(Object.keys(copied), ['__proto__', 'y']);
  const bare = Object.assign(Object.create(null), { a: 1 });
  assert.equal(Object.getPrototypeOf(same(bare)), Object.prototype);
});

test('anything else is structuredClone’s: dates, maps, sparse arrays, class instances, functions', () => {
  class Thing {
    x = 1;
  }
  const sparse = [1, 2, 3];
  delete sparse[1];
  const named = Object.assign([1, 2], { extra: true });
  for (const value of [{ when: new Date(0) }, { m: new Map([[1, 2]]) }, { sparse }, { named }, new Thing()]) {
    same(value);
  }
  assert.equal(1 in copyOf(sparse), false);
  assert.throws(() => copyOf({ f: () => 1 }), { name: 'DataCloneError' });
  let deep: any = {};
  for (let i = 0; i < 20_000; i++) deep = { deep };
  const outcome = (f: () => unknown) => {
    try {
      f();
      return 'copied';
    } catch (error) {
      return (error as Error).name;
    }
  };
  assert.equal(
    outcome(() => copyOf(deep)),
    outcome(() => structuredClone(deep)),
  );
});

test('copyOfTree copies a decoded object as structuredClone would, and hands anything else to copyOf', () => {
  const decoded = JSON.parse(
    '{"metadata":{"name":"w","labels":{"b":"1","a":"2"},"__proto__":{"x":1}},"spec":{"list":[1,{"a":null}],"n":-1.5}}',
  );
  const copied = copyOfTree(decoded);
  assert.deepStrictEqual(copied, structuredClone(decoded));
  assert.equal(JSON.stringify(copied), JSON.stringify(decoded));
  assert.notEqual(copied.spec.list[1], decoded.spec.list[1]);
  const cyclic: any = { a: {} };
  cyclic.a.back = cyclic;
  const kept = copyOfTree(cyclic);
  assert.equal(kept.a.back, kept);
  const dated = copyOfTree({ when: new Date(5) });
  assert.ok(dated.when instanceof Date);
  assert.equal(dated.when.getTime(), 5);
  assert.equal(copyOfTree(undefined), undefined);
});
