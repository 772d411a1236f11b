// kube-apiserver's size and depth limits over HTTPS: ConfigMap and Secret data over 1 MiB (422, the apiserver's
// texts), bodies over 3 MiB (413), bodies nested deeper than the nesting limit (400, the decoder's text, for every
// content type), and an object stored nested too deeply before the limit: its patches answer 400, never 500.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { maxNestingDepth } from '../api/nesting.js';
import { startTestApi, type TestApi } from '../testing/api.js';
import { type ApiTarget, callApi } from '../testing/call.js';

let api: TestApi;
let target: ApiTarget;
before(async () => {
  api = await startTestApi();
  target = { url: api.server.url, caCert: api.caCert, token: api.token };
});
after(() => api.close());

const mib = 1024 * 1024;
const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});
const nested = (depth: number) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

it('refuses ConfigMap and Secret data over 1 MiB with the apiserver 422 texts, and takes exactly 1 MiB', async () => {
  const path = '/api/v1/namespaces/default/configmaps';
  const exact = await callApi(target, 'POST', path, configMap('exact', { a: 'x'.repeat(mib - 1), b: 'y' }));
  assert.equal(exact.status, 201);
  const over = await callApi(target, 'POST', path, configMap('big', { a: 'x'.repeat(mib), b: 'y' }));
  assert.equal(over.status, 422);
  assert.equal(over.body.message, 'ConfigMap "big" is invalid: []: Too long: may not be more than 1048576 bytes');
  assert.deepEqual(over.body.details.causes, [
    { reason: 'FieldValueTooLong', message: 'Too long: may not be more than 1048576 bytes', field: '[]' },
  ]);
  const grown = await callApi(
    target,
    'PATCH',
    `${path}/exact`,
    { data: { c: 'z' } },
    { contentType: 'application/merge-patch+json' },
  );
  assert.equal(grown.status, 422);

  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'big' },
    data: { a: Buffer.alloc(mib + 1).toString('base64') },
  };
  const refused = await callApi(target, 'POST', '/api/v1/namespaces/default/secrets', secret);
  assert.equal(refused.status, 422);
  assert.equal(refused.body.message, 'Secret "big" is invalid: data: Too long: may not be more than 1048576 bytes');
});

it('refuses a body over 3 MiB with 413 "Request entity too large: limit is 3145728"', async () => {
  const reply = await callApi(
    target,
    'POST',
    '/api/v1/namespaces/default/configmaps',
    configMap('huge', { a: 'x'.repeat(3 * mib) }),
  );
  assert.equal(reply.status, 413);
  assert.equal(reply.body.reason, 'RequestEntityTooLarge');
  assert.equal(reply.body.message, 'Request entity too large: limit is 3145728');
});

it('refuses bodies nested too deeply with 400 for every content type', async () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'deep' },
    spec: { containers: [{ name: 'c', image: 'i' }], extra: nested(maxNestingDepth) },
  };
  const message = "couldn't get version/kind; json parse error: invalid character '{' exceeded max depth";
  const created = await callApi(target, 'POST', '/api/v1/namespaces/default/pods', pod);
  assert.equal(created.status, 400);
  assert.equal(created.body.message, message);
  await callApi(target, 'POST', '/api/v1/namespaces/default/configmaps', configMap('target', { a: 'b' }));
  for (const contentType of [
    'application/strategic-merge-patch+json',
    'application/merge-patch+json',
    'application/apply-patch+yaml',
  ]) {
    const path = `/api/v1/namespaces/default/configmaps/target${contentType.includes('apply') ? '?fieldManager=t' : ''}`;
    const body = contentType.includes('apply')
      ? { ...configMap('target', {}), metadata: { name: 'target', annotations: nested(3000) } }
      : { metadata: { annotations: nested(3000) } };
    const reply = await callApi(target, 'PATCH', path, body, { contentType });
    assert.equal(reply.status, 400, `${contentType}: ${JSON.stringify(reply.body).slice(0, 200)}`);
    assert.equal(reply.body.message, message);
  }
});

it('answers 400, not 500, for patches of an object stored nested too deeply', async () => {
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'stored-deep', namespace: 'default', uid: 'u-deep', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { containers: [{ name: 'c', image: 'i' }], extra: nested(20_000) },
  };
  // Written behind the API's back, as a store from before the limit would hold it.
  let text = '1';
  for (let i = 0; i < 20_000; i++) text = `{"a":${text}}`;
  await api.store.create(
    '/registry/core/pods/default/stored-deep',
    JSON.stringify({ ...object, spec: { ...object.spec, extra: '@' } }).replace('"@"', text),
  );
  const path = '/api/v1/namespaces/default/pods/stored-deep';
  const reply = await callApi(
    target,
    'PATCH',
    path,
    { metadata: { labels: { a: 'b' } } },
    { contentType: 'application/strategic-merge-patch+json' },
  );
  assert.ok(
    reply.status === 400 || reply.status === 200,
    `${reply.status}: ${JSON.stringify(reply.body).slice(0, 200)}`,
  );
});
