// Bad requests to the kube API get the right Status (reason and code) and store nothing: no token, a wrong
// token, malformed JSON and YAML, a body over 3 MiB, invalid names, unknown resources, stale updates.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

const kubectl128 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.28';

interface Reply {
  status: number;
  body: any;
}

describe('kube API errors', () => {
  let skiff: SkiffProcess;
  before(async () => {
    skiff = await startSkiff(['--runtime', 'simulated']);
  });
  after(async () => {
    await skiff?.stop();
  });

  const call = (
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
    token: string | null = skiff.token,
  ) =>
    new Promise<Reply>((resolve, reject) => {
      const url = new URL(path, skiff.kubeEndpoint);
      const req = request(
        url,
        {
          method,
          ca: skiff.caCert,
          headers: {
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
            'Content-Type': 'application/json',
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => {
            let parsed: any = text;
            try {
              parsed = JSON.parse(text);
            } catch {}
            resolve({ status: res.statusCode!, body: parsed });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const expectStatus = (reply: Reply, code: number, reason: string) => {
    assert.equal(reply.status, code, JSON.stringify(reply.body));
    assert.equal(reply.body.kind, 'Status');
    assert.equal(reply.body.code, code);
    assert.equal(reply.body.reason, reason);
  };

  /** The ConfigMaps a request stored: every namespace holds kube-root-ca.crt, which the API itself keeps there. */
  const configMaps = async () =>
    (await call('GET', '/api/v1/namespaces/default/configmaps')).body.items
      .map((i: any) => i.metadata.name)
      .filter((name: string) => name !== 'kube-root-ca.crt');

  it('answers health and version without a token, and 401 for everything else', async () => {
    assert.equal((await call('GET', '/readyz', undefined, {}, null)).body, 'ok');
    assert.equal((await call('GET', '/version', undefined, {}, null)).body.minor, '32');
    expectStatus(await call('GET', '/api/v1/namespaces', undefined, {}, null), 401, 'Unauthorized');
    expectStatus(await call('GET', '/api/v1/namespaces', undefined, {}, 'not-the-token'), 401, 'Unauthorized');
    expectStatus(
      await call('POST', '/api/v1/namespaces/default/configmaps', '{"metadata":{"name":"anon"}}', {}, null),
      401,
      'Unauthorized',
    );
    assert.deepEqual(await configMaps(), []);
  });

  it('rejects malformed JSON and YAML with 400', async () => {
    expectStatus(await call('POST', '/api/v1/namespaces/default/configmaps', '{"metadata": {'), 400, 'BadRequest');
    const yaml = await call('POST', '/api/v1/namespaces/default/configmaps', 'metadata: [unclosed', {
      'Content-Type': 'application/yaml',
    });
    expectStatus(yaml, 400, 'BadRequest');
    expectStatus(
      await call('POST', '/api/v1/namespaces/default/configmaps', 'x', { 'Content-Type': 'text/plain' }),
      415,
      'UnsupportedMediaType',
    );
    assert.deepEqual(await configMaps(), []);
  });

  it("answers an undecodable body with the apiserver's text: Go's JSON error and the body's summary", async (t) => {
    const cases: [string, string][] = [
      ['xyz', "invalid character 'x' looking for beginning of value (78797a)"],
      ['{"metadata": {', 'unexpected end of JSON input ({"metadata": {)'],
      ['{"a" 1}', 'invalid character \'1\' after object key ({"a" 1})'],
      ['{"a": 1 "b": 2}', `invalid character '"' after object key:value pair ({"a": 1 "b": 2})`],
      ['[1 2]', "invalid character '2' after array element (5b3120325d)"],
    ];
    for (const [body, text] of cases) {
      const reply = await call('POST', '/api/v1/namespaces', body);
      expectStatus(reply, 400, 'BadRequest');
      assert.equal(
        reply.body.message,
        `the object provided is unrecognized (must be of type Namespace): couldn't get version/kind; json parse error: ${text}`,
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'skiff-body-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'pod.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n');
    for (const bin of ['kubectl', ...(existsSync(kubectl128) ? [kubectl128] : [])]) {
      const out = await run(bin, ['create', '--raw', '/api/v1/namespaces', '-f', file], {
        env: { KUBECONFIG: skiff.kubeconfig },
      });
      assert.notEqual(out.code, 0);
      assert.match(
        out.stderr,
        /the object provided is unrecognized \(must be of type Namespace\): couldn't get version\/kind; json parse error: invalid character 'a' looking for beginning of value \(61706956657273696f6e3a2076310a6b696e643a20506f640a6d65746164 \.\.\.\)/,
      );
    }
  });

  it('rejects bodies over 3 MiB with 413', async () => {
    const big = JSON.stringify({ metadata: { name: 'big' }, data: { blob: 'x'.repeat(3 * 1024 * 1024 + 10) } });
    expectStatus(await call('POST', '/api/v1/namespaces/default/configmaps', big), 413, 'RequestEntityTooLarge');
    assert.deepEqual(await configMaps(), []);
  });

  it('rejects invalid names with 422 Invalid and the real message', async () => {
    const reply = await call('POST', '/api/v1/namespaces/default/configmaps', '{"metadata":{"name":"Bad_Name"}}');
    expectStatus(reply, 422, 'Invalid');
    assert.match(
      reply.body.message,
      /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    assert.equal(reply.body.details.causes[0].field, 'metadata.name');
    const ns = await call('POST', '/api/v1/namespaces', '{"metadata":{"name":"a.b"}}');
    expectStatus(ns, 422, 'Invalid');
    assert.match(ns.body.message, /RFC 1123 label/);
    assert.deepEqual(await configMaps(), []);
  });

  it('answers unknown resources and objects with 404', async () => {
    expectStatus(await call('GET', '/api/v1/namespaces/default/frobnicators'), 404, 'NotFound');
    expectStatus(await call('POST', '/apis/nope.example.com/v1/namespaces/default/things', '{}'), 404, 'NotFound');
    const missing = await call('GET', '/api/v1/namespaces/default/configmaps/missing');
    expectStatus(missing, 404, 'NotFound');
    assert.equal(missing.body.message, 'configmaps "missing" not found');
    expectStatus(
      await call('POST', '/api/v1/namespaces/nowhere/configmaps', '{"metadata":{"name":"x"}}'),
      404,
      'NotFound',
    );
  });

  it('refuses duplicates, stale updates and unsupported field selectors', async () => {
    const created = await call(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      '{"metadata":{"name":"one"},"data":{"a":"1"}}',
    );
    assert.equal(created.status, 201);
    expectStatus(
      await call('POST', '/api/v1/namespaces/default/configmaps', '{"metadata":{"name":"one"}}'),
      409,
      'AlreadyExists',
    );
    const stale = { ...created.body, data: { a: '2' } };
    assert.equal((await call('PUT', '/api/v1/namespaces/default/configmaps/one', JSON.stringify(stale))).status, 200);
    const conflict = await call(
      'PUT',
      '/api/v1/namespaces/default/configmaps/one',
      JSON.stringify({ ...stale, data: { a: '3' } }),
    );
    expectStatus(conflict, 409, 'Conflict');
    assert.match(
      conflict.body.message,
      /the object has been modified; please apply your changes to the latest version and try again/,
    );
    expectStatus(
      await call('GET', '/api/v1/namespaces/default/configmaps?fieldSelector=data.a%3D1'),
      400,
      'BadRequest',
    );
    const stored = await call('GET', '/api/v1/namespaces/default/configmaps/one');
    assert.deepEqual(stored.body.data, { a: '2' });
  });

  it('does not store anything on dryRun=All', async () => {
    const reply = await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', '{"metadata":{"name":"dry"}}');
    assert.equal(reply.status, 201);
    assert.equal(reply.body.metadata.name, 'dry');
    assert.deepEqual(await configMaps(), ['one']);
  });
});
