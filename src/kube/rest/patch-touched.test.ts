// A patch's result is type-checked and pruned in the top-level fields the patch can change, as thoroughly as a
// whole object is; the fields it cannot change are the stored object's and are not looked at again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import type { KubeObject } from '../api/types.js';
import { createApiContext, inProcessClient } from '../index.js';
import type { ResourceInfo } from '../resources/types.js';
import { objectKey } from '../storage/objects.js';

let store: Backend;
let client: ReturnType<typeof inProcessClient>;
const cms = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' };
const info = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true } as ResourceInfo;
const refusal = 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal';

before(async () => {
  store = await openStore({ kind: 'memory' });
  client = inProcessClient(await createApiContext(store));
});
after(() => store.close());

async function refused(write: Promise<unknown>): Promise<string> {
  const error = await write.then(
    () => assert.fail('the patch was taken'),
    (e: { code?: number; message: string }) => e,
  );
  assert.equal(error.code, 400);
  return error.message;
}

test('a wrong type in a field the patch changes is refused, by each patch type, with the whole-object message', async () => {
  await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typed', namespace: 'default' } });
  const message = `${refusal} number into Go struct field ConfigMap.data of type string`;
  assert.equal(await refused(client.patch(cms, 'typed', { data: { a: 5 } }, 'merge')), message);
  assert.equal(await refused(client.patch(cms, 'typed', { data: { a: 5 } }, 'strategic')), message);
  assert.equal(
    await refused(client.patch(cms, 'typed', [{ op: 'add', path: '/data', value: { a: 5 } }], 'json')),
    message,
  );
  assert.equal(
    await refused(client.patch(cms, 'typed', [{ op: 'replace', path: '', value: { metadata: { name: 5 } } }], 'json')),
    `${refusal} number into Go struct field ObjectMeta.metadata.name of type string`,
  );
  const unchanged = await client.get<KubeObject>(cms, 'typed');
  assert.equal(unchanged.data, undefined);
});

test('fields the schema does not know are dropped where the patch writes them, at the top level too', async () => {
  await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pruned', namespace: 'default' } });
  const patched = await client.patch<KubeObject>(
    cms,
    'pruned',
    { data: { a: '1' }, metadata: { labels: { l: 'v' }, notAField: 1 }, notAField: true },
    'merge',
  );
  assert.deepEqual(patched.data, { a: '1' });
  assert.equal((patched as Record<string, unknown>).notAField, undefined);
  assert.equal((patched.metadata as Record<string, unknown>).notAField, undefined);
  assert.deepEqual(patched.metadata.labels, { l: 'v' });
});

test('the fields a patch cannot change are the stored ones, not checked again', async () => {
  await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stored', namespace: 'default' } });
  // What the API would refuse, put in the store beneath it: a patch of other fields leaves it as it is.
  const key = objectKey(info, 'default', 'stored');
  const kv = await store.get(key);
  const object = JSON.parse(kv!.value);
  await store.update(key, JSON.stringify({ ...object, binaryData: { b: 7 } }), kv!.modRevision);
  const patched = await client.patch<KubeObject>(cms, 'stored', { data: { a: '1' } }, 'merge');
  assert.deepEqual(patched.data, { a: '1' });
  assert.deepEqual(patched.binaryData, { b: 7 });
  // A patch that does change that field gets it checked.
  await refused(client.patch(cms, 'stored', { binaryData: { c: 'Zm9v' } }, 'merge'));
});
