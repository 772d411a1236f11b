// JSON merge patch against the examples of RFC 7396 Appendix A, and JSON patch (RFC 6902) with kube's errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../api/errors.js';
import { applyJsonPatch, jsonMergePatch, mergePatchObject } from './index.js';

const rfc7396: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [
    ['a', 'b'],
    ['c', 'd'],
    ['c', 'd'],
  ],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

for (const [i, [target, patch, expected]] of rfc7396.entries()) {
  test(`merge patch: RFC 7396 example ${i + 1}`, () => {
    assert.deepEqual(jsonMergePatch(target, patch), expected);
  });
}

test('merge patch: kubectl scale and label bodies; target untouched', () => {
  const deployment = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, paused: true } };
  const scaled = mergePatchObject(deployment, {
    spec: { replicas: 3 },
    metadata: { labels: { env: 'prod', app: null } },
  });
  assert.deepEqual(scaled, { metadata: { name: 'web', labels: { env: 'prod' } }, spec: { replicas: 3, paused: true } });
  assert.deepEqual(deployment.metadata.labels, { app: 'web' });
  assert.throws(
    () => mergePatchObject(deployment, [1]),
    (e: unknown) => e instanceof ApiError && e.code === 400,
  );
});

const pod = { metadata: { name: 'p', labels: { A: 'true' } }, spec: { containers: [{ name: 'a', args: ['x'] }] } };

test('json patch: operations apply to a copy', () => {
  const result = applyJsonPatch(pod, [
    { op: 'test', path: '/metadata/labels/A', value: 'true' },
    { op: 'replace', path: '/metadata/labels/A', value: 'false' },
    { op: 'add', path: '/spec/containers/0/args/-', value: 'y' },
    { op: 'copy', from: '/metadata/name', path: '/metadata/generateName' },
    { op: 'move', from: '/metadata/generateName', path: '/metadata/labels/name' },
    { op: 'remove', path: '/spec/containers/0/name' },
  ]);
  assert.deepEqual(result, {
    metadata: { name: 'p', labels: { A: 'false', name: 'p' } },
    spec: { containers: [{ args: ['x', 'y'] }] },
  });
  assert.equal(pod.metadata.labels.A, 'true');
});

const failures: { name: string; patch: unknown; code: number; text: string }[] = [
  {
    name: 'failed test',
    patch: [{ op: 'test', path: '/metadata/labels/A', value: 'false' }],
    code: 422,
    text: 'testing value /metadata/labels/A failed: test failed',
  },
  {
    name: 'remove of a missing key',
    patch: [{ op: 'remove', path: '/metadata/annotations' }],
    code: 422,
    text: 'remove operation does not apply: doc is missing path: "/metadata/annotations": missing value',
  },
  {
    name: 'replace of a missing key',
    patch: [{ op: 'replace', path: '/spec/nodeName', value: 'n' }],
    code: 422,
    text: 'replace operation does not apply: doc is missing key: /spec/nodeName: missing value',
  },
  {
    name: 'add below a missing parent',
    patch: [{ op: 'add', path: '/metadata/annotations/x', value: 'y' }],
    code: 422,
    text: 'add operation does not apply: doc is missing path: "/metadata/annotations/x": missing value',
  },
  { name: 'not a list', patch: { op: 'add' }, code: 400, text: 'jsonpatch.Patch' },
  { name: 'unknown op', patch: [{ op: 'frob', path: '/a' }], code: 400, text: 'Unexpected kind: frob' },
];

for (const f of failures) {
  test(`json patch: ${f.name} → ${f.code}`, () => {
    assert.throws(
      () => applyJsonPatch(pod, f.patch),
      (e: unknown) => {
        assert.ok(e instanceof ApiError);
        assert.equal(e.code, f.code);
        const text = [e.message, ...(e.status.details?.causes ?? []).map((c) => c.message)].join('\n');
        assert.ok(text.includes(f.text), text);
        if (f.code === 422) assert.equal(e.reason, 'Invalid');
        return true;
      },
    );
  });
}
