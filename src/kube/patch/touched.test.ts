// touchedFields: which top-level fields a patch can change, and when it can reach the whole object.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { touchedFields } from './touched.js';

test('a merge or strategic merge patch touches its keys; a directive at the top, the whole object', () => {
  assert.deepEqual(touchedFields({ status: { phase: 'Running' }, metadata: { labels: null } }, 'merge'), [
    'status',
    'metadata',
  ]);
  assert.deepEqual(touchedFields({ spec: { replicas: 2 } }, 'strategic'), ['spec']);
  assert.equal(touchedFields({ $patch: 'replace', spec: {} }, 'strategic'), undefined);
  assert.equal(touchedFields({ '$setElementOrder/spec': [] }, 'strategic'), undefined);
  assert.equal(touchedFields(['not', 'an', 'object'], 'merge'), undefined);
  assert.equal(touchedFields(null, 'merge'), undefined);
});

test("a JSON patch touches each operation's first path segment; the root, or a bad operation, everything", () => {
  const patch = [
    { op: 'replace', path: '/status/phase', value: 'Running' },
    { op: 'add', path: '/metadata/labels/a~1b', value: 'x' },
    { op: 'add', path: '/a~1b~0c', value: 1 },
    { op: 'test', path: '/status', value: {} },
  ];
  assert.deepEqual(touchedFields(patch, 'json'), ['status', 'metadata', 'a/b~c']);
  assert.equal(touchedFields([{ op: 'replace', path: '', value: {} }], 'json'), undefined);
  assert.equal(touchedFields([{ op: 'replace' }], 'json'), undefined);
  assert.equal(touchedFields({ op: 'add', path: '/x' }, 'json'), undefined);
});

test('server-side apply can reach the whole object', () => {
  assert.equal(touchedFields({ spec: {} }, 'apply'), undefined);
});
