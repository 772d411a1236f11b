// decodedCopy: what decode makes of encode's bytes, made by copying; checked against the real round trip for the
// values JSON changes (undefined, NaN, -0, list holes, a stored resourceVersion, numeric keys), and refused where a
// copy could differ (a Date, a resource stored in another version).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/types.js';
import { ResourceRegistry } from '../resources/registry.js';
import { decode, decodedCopy, encode } from './objects.js';

const registry = new ResourceRegistry();
const configMaps = registry.lookup('', 'v1', 'configmaps')!;
const hpaV1 = registry.lookup('autoscaling', 'v1', 'horizontalpodautoscalers')!;

/** decode(encode(object)) at `revision`, as JSON text (key order included). */
function roundTrip(info: typeof configMaps, object: KubeObject, revision: number): string {
  return JSON.stringify(
    decode({ key: '/k', value: encode(object, info), createRevision: 1, modRevision: revision }, info),
  );
}

test('a copy is exactly what decoding the stored bytes gives, key order included', () => {
  const object = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'c',
      resourceVersion: '7',
      labels: { b: '1', '10': 'numeric', a: '2' },
      annotations: { gone: undefined },
      managedFields: [{ manager: 'm', fieldsV1: { 'f:data': { 'f:x': {} } } }],
    },
    data: { x: '1' },
    extra: { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, minusZero: -0, list: [1, undefined, () => 1], f: () => 1 },
    nothing: undefined,
  } as unknown as KubeObject;
  const copy = decodedCopy(configMaps, object, 42);
  assert.ok(copy);
  assert.equal(JSON.stringify(copy), roundTrip(configMaps, object, 42));
  assert.deepEqual(copy, JSON.parse(roundTrip(configMaps, object, 42)));
  assert.equal(Object.is((copy as any).extra.minusZero, 0), true);
  assert.equal('nothing' in copy, false);
  assert.equal(copy.metadata.resourceVersion, '42');
  assert.notEqual(copy.metadata.labels, object.metadata.labels, 'a copy, not the same objects');
});

test('no copy where it could differ from decoding: a Date, or a resource stored in another version', () => {
  const withDate = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd' }, when: new Date(0) };
  assert.equal(decodedCopy(configMaps, withDate as unknown as KubeObject, 1), undefined);
  const hpa = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: {} };
  assert.equal(decodedCopy(hpaV1, hpa as KubeObject, 1), undefined);
});
