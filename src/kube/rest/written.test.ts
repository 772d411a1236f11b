// A write takes the copy its watches decoded instead of decoding again: the object it answers is byte for byte what
// decoding the stored bytes gives, is its own (not the watchers' shared object), and only the revision it wrote is
// taken; with no watch, or another revision waiting, it decodes as before. The API's own writes parse nothing: the
// object written is copied as decoding would make it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import type { KubeObject, KubeWatchEvent } from '../api/types.js';
import { createApiContext, inProcessClient } from '../index.js';
import type { ResourceInfo } from '../resources/types.js';
import { decode, objectKey } from '../storage/objects.js';
import { decodeWritten, offerToWriter } from './written.js';

let store: Backend;
let client: ReturnType<typeof inProcessClient>;
const cms = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' };
const info = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true } as ResourceInfo;

before(async () => {
  store = await openStore({ kind: 'memory' });
  client = inProcessClient(await createApiContext(store));
});
after(() => store.close());

async function stored(name: string): Promise<string> {
  const kv = await store.get(objectKey(info, 'default', name));
  return JSON.stringify(decode(kv!, info));
}

test('a create and an update under a watch answer exactly the stored version, as their own objects', async () => {
  const seen: KubeObject[] = [];
  const watch = await client.watch(cms, {}, (e: KubeWatchEvent) => seen.push(e.object as KubeObject));
  const created = await client.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'w', namespace: 'default', labels: { b: '1', a: '2' } },
    data: { z: '1', y: '2' },
  });
  assert.equal(JSON.stringify(created), await stored('w'));
  const updated = await client.patch<KubeObject>(cms, 'w', { data: { x: '3' } }, 'merge');
  assert.equal(JSON.stringify(updated), await stored('w'));
  watch.close();
  assert.equal(seen.length, 2);
  assert.notEqual(created, seen[0]);
  assert.notEqual(updated, seen[1]);
  assert.notEqual(updated.metadata, seen[1].metadata);
  assert.equal(seen[1].metadata.resourceVersion, updated.metadata.resourceVersion);
  (updated.data as Record<string, string>).x = 'changed by the writer';
  assert.equal((seen[1] as any).data.x, '3', "the writer's object is not the watchers'");
});

test('only the revision written is taken, once; anything else is decoded', () => {
  const kv = (revision: number, value: object) => ({
    key: '/registry/core/configmaps/default/t',
    value: JSON.stringify(value),
    createRevision: 1,
    modRevision: revision,
  });
  const first = kv(10, { metadata: { name: 't' }, data: { v: '1' } });
  const offered = decode(first, info);
  offerToWriter(info, first, offered);
  offered.metadata.name = 'changed after it was offered';
  const taken = decodeWritten(first, info);
  assert.deepEqual(taken, { metadata: { name: 't', resourceVersion: '10' }, data: { v: '1' } });
  assert.deepEqual(decodeWritten(first, info), taken, 'decoded again once taken');
  offerToWriter(info, first, decode(first, info));
  const second = kv(11, { metadata: { name: 't' }, data: { v: '2' } });
  assert.deepEqual(decodeWritten(second, info), { metadata: { name: 't', resourceVersion: '11' }, data: { v: '2' } });
});

test('a create and an update through the API do not parse the bytes they store, watched or not', async () => {
  const parsed: string[] = [];
  const realParse = JSON.parse;
  JSON.parse = ((text: string, ...rest: []) => {
    parsed.push(text);
    return realParse(text, ...rest);
  }) as typeof JSON.parse;
  const seen: KubeObject[] = [];
  let updated: KubeObject | undefined;
  let unwatched: KubeObject | undefined;
  try {
    const watch = await client.watch(cms, {}, (e: KubeWatchEvent) => seen.push(e.object as KubeObject));
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p', namespace: 'default' } });
    updated = await client.patch<KubeObject>(cms, 'p', { data: { a: '1' } }, 'merge');
    watch.close();
    unwatched = await client.patch<KubeObject>(cms, 'p', { data: { b: '2' } }, 'merge');
  } finally {
    JSON.parse = realParse;
  }
  const versions = parsed.filter((text) => text.includes('"name":"p"'));
  // The only parses: the read each patch makes of the version before it (the store here keeps no decoded rows).
  assert.equal(versions.length, 2);
  assert.equal(new Set(versions).size, 2);
  const last = await store.get(objectKey(info, 'default', 'p'));
  assert.ok(!versions.includes(last!.value), 'the last version, written unwatched, was never parsed');
  const ofP = seen.filter((object) => object.metadata.name === 'p');
  assert.equal(ofP.length, 2);
  assert.equal(JSON.stringify(ofP[1]), JSON.stringify(updated));
  assert.equal(JSON.stringify(unwatched), await stored('p'));
});
