// Hostile requests against the kube API over HTTPS, paths sent byte for byte (no client-side normalising):
// `.`/`..` segments, literal or percent-encoded, encoded slashes and bad escapes are refused with a Status before
// routing, never resolved to another resource (issue 15's traversal cases); odd resourceVersion values and
// ownerReferences of the wrong JSON type get kube-apiserver's 400s instead of 500s.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../testing/api.js';
import { type ApiReply, callApi } from '../testing/call.js';

let api: TestApi;
const call = (method: string, path: string, body?: unknown, contentType?: string) =>
  callApi({ url: api.server.url, caCert: api.caCert, token: api.token }, method, path, body, { contentType });
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

function expectStatus(reply: ApiReply, code: number, reason: string, message?: string) {
  assert.equal(reply.status, code, JSON.stringify(reply.body));
  assert.equal(reply.body.kind, 'Status');
  assert.equal(reply.body.reason, reason);
  if (message !== undefined) assert.equal(reply.body.message, message);
}

async function create(path: string, object: unknown) {
  const reply = await call('POST', path, object);
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
}

describe('request paths', () => {
  before(async () => {
    await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'walls' } });
    await create('/api/v1/namespaces/walls/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'hidden' },
      data: { k: 'dg==' },
    });
    await create('/api/v1/namespaces/walls/resourcequotas', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'quota' },
      spec: { hard: { pods: '10' } },
    });
    await create('/api/v1/namespaces/walls/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'plain' },
    });
  });

  it('refuses a name `..` instead of deleting the namespace above it', async () => {
    for (const name of ['%2e%2e', '%2E%2E', '..', '.%2e']) {
      const reply = await call('DELETE', `/api/v1/namespaces/walls/secrets/${name}`);
      expectStatus(reply, 400, 'BadRequest', `Name parameter invalid: "..": may not be '..'`);
    }
    const namespace = await call('GET', '/api/v1/namespaces/walls');
    assert.equal(namespace.status, 200);
    assert.equal(namespace.body.status.phase, 'Active');
    assert.equal(namespace.body.metadata.deletionTimestamp, undefined);
  });

  it('refuses a namespace `..` instead of deleting a collection in every namespace', async () => {
    const reply = await call('DELETE', '/api/v1/namespaces/%2e%2e/resourcequotas');
    expectStatus(reply, 400, 'BadRequest', `Namespace parameter invalid: "..": may not be '..'`);
    assert.equal((await call('GET', '/api/v1/namespaces/walls/resourcequotas/quota')).status, 200);
  });

  it('does not climb from configmaps to a SecretList', async () => {
    const reply = await call('GET', '/api/v1/namespaces/walls/configmaps/%2e%2e/%2e%2e/%2e%2e/secrets');
    expectStatus(reply, 404, 'NotFound');
    assert.ok(!JSON.stringify(reply.body).includes('hidden'));
    const literal = await call('GET', '/api/v1/namespaces/walls/configmaps/../../../secrets');
    expectStatus(literal, 404, 'NotFound');
  });

  it('does not climb from a pod log to a NodeList', async () => {
    const reply = await call('GET', '/api/v1/namespaces/walls/pods/x/log/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/nodes');
    expectStatus(reply, 404, 'NotFound');
    assert.notEqual(reply.body.kind, 'NodeList');
  });

  it('answers `configmaps/.` with a refusal, not a list', async () => {
    for (const dot of ['.', '%2e', '%2E']) {
      const reply = await call('GET', `/api/v1/namespaces/walls/configmaps/${dot}`);
      expectStatus(reply, 400, 'BadRequest', `Name parameter invalid: ".": may not be '.'`);
    }
  });

  it('refuses encoded slashes and `%` in names, and `..` as resource or subresource', async () => {
    const slash = await call('GET', '/api/v1/namespaces/walls/configmaps/a%2Fplain');
    expectStatus(slash, 400, 'BadRequest', `Name parameter invalid: "a/plain": may not contain '/'`);
    const percent = await call('GET', '/api/v1/namespaces/walls/configmaps/a%25b');
    expectStatus(percent, 400, 'BadRequest', `Name parameter invalid: "a%b": may not contain '%'`);
    expectStatus(await call('GET', '/api/v1/namespaces/walls/%2e%2e'), 404, 'NotFound');
    expectStatus(await call('GET', '/api/v1/namespaces/walls/configmaps/plain/%2e%2e'), 404, 'NotFound');
    expectStatus(await call('GET', '/apis/%2e%2e/v1/namespaces/walls/configmaps'), 404, 'NotFound');
  });

  it('answers a bad percent-escape with a 400 Status on every verb', async () => {
    for (const method of ['GET', 'DELETE', 'PUT', 'PATCH', 'POST']) {
      const reply = await call(method, '/api/v1/namespaces/walls/configmaps/%zz', method === 'GET' ? undefined : {});
      expectStatus(reply, 400, 'BadRequest', 'invalid URL escape "%zz"');
    }
    expectStatus(await call('GET', '/api/v1/namespaces/%e2%28/configmaps'), 400, 'BadRequest');
  });

  it('still serves ordinary names, query strings and trailing slashes', async () => {
    const reply = await call('GET', '/api/v1/namespaces/walls/configmaps/plain/?pretty=true');
    assert.equal(reply.status, 200);
    assert.equal(reply.body.metadata.name, 'plain');
    const list = await call('GET', '/api/v1/namespaces/walls/configmaps?labelSelector=a%3Db');
    assert.equal(list.status, 200);
    assert.equal(list.body.kind, 'ConfigMapList');
  });
});

describe('odd values', () => {
  before(async () => {
    await create('/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'rv' },
    });
  });

  it('answers resourceVersion values ParseUint refuses with a 400 on list, get and watch', async () => {
    for (const rv of ['1e%2B300', 'abc', '-1', '1.5']) {
      const decoded = decodeURIComponent(rv);
      const message = `invalid resource version: resourceVersion: Invalid value: "${decoded}": strconv.ParseUint: parsing "${decoded}": invalid syntax`;
      for (const path of [
        `/api/v1/namespaces/default/configmaps?resourceVersion=${rv}`,
        `/api/v1/namespaces/default/configmaps/rv?resourceVersion=${rv}`,
        `/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1&resourceVersion=${rv}`,
      ]) {
        expectStatus(await call('GET', path), 400, 'BadRequest', message);
      }
    }
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps?resourceVersion=0')).status, 200);
  });

  it('answers a continue token at an impossible or future revision with 400 and 504, not a 500', async () => {
    const token = (rv: unknown) => Buffer.from(JSON.stringify({ rv, start: '' })).toString('base64url');
    for (const rv of [1e300, 1.5, -3, 0, '7']) {
      const reply = await call('GET', `/api/v1/namespaces/default/configmaps?limit=1&continue=${token(rv)}`);
      expectStatus(reply, 400, 'BadRequest');
    }
    const future = await call('GET', `/api/v1/namespaces/default/configmaps?limit=1&continue=${token(9_999_999)}`);
    expectStatus(future, 504, 'Timeout');
    assert.match(future.body.message, /^Timeout: Too large resource version: 9999999, current: \d+$/);
  });

  it('refuses ownerReferences that are not a list of objects, on create, update and patch', async () => {
    const configMap = (ownerReferences: unknown) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'owned', ownerReferences },
    });
    const prefix = 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal';
    const cases: [unknown, string][] = [
      ['x', `${prefix} string into Go struct field ObjectMeta.metadata.ownerReferences of type []v1.OwnerReference`],
      [
        { a: 1 },
        `${prefix} object into Go struct field ObjectMeta.metadata.ownerReferences of type []v1.OwnerReference`,
      ],
      [[5], `${prefix} number into Go struct field ObjectMeta.metadata.ownerReferences of type v1.OwnerReference`],
      [
        [{ uid: 5 }],
        `${prefix} number into Go struct field OwnerReference.metadata.ownerReferences.uid of type types.UID`,
      ],
    ];
    for (const [refs, message] of cases) {
      expectStatus(
        await call('POST', '/api/v1/namespaces/default/configmaps', configMap(refs)),
        400,
        'BadRequest',
        message,
      );
      expectStatus(
        await call('PUT', '/api/v1/namespaces/default/configmaps/rv', {
          ...configMap(refs),
          metadata: { name: 'rv', ownerReferences: refs },
        }),
        400,
        'BadRequest',
        message,
      );
      const patch = await call(
        'PATCH',
        '/api/v1/namespaces/default/configmaps/rv',
        { metadata: { ownerReferences: refs } },
        'application/merge-patch+json',
      );
      expectStatus(patch, 400, 'BadRequest', message);
    }
    const pod = await call('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'owned', ownerReferences: 'x' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    expectStatus(pod, 400, 'BadRequest');
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps/owned')).status, 404);
  });
});
