// The pod identity webhook's mutation through the kube API: env, the aws-iam-token volume and mounts for a pod of an
// annotated ServiceAccount; the audience, sts-regional-endpoints and token-expiration annotations (pod over
// ServiceAccount, clamped); env the pod already sets kept; skip-containers; pods of other ServiceAccounts untouched.
// The kube API's issuer discovery (/.well-known/openid-configuration, /openid/v1/jwks) serves the signer's issuer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { TokenSigner } from '../../kube/serviceaccount/signer.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { irsaAdmission } from './plugin.js';

let api: TestApi;
let client: KubeClient;

before(async () => {
  api = await startTestApi({ serviceAccounts: true });
  api.ctx.admission.addMutating(irsaAdmission(api.ctx, 'ap-northeast-2'));
  client = inProcessClient(api.ctx);
  const accounts: [string, Record<string, string>][] = [
    ['app', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/app' }],
    [
      'tuned',
      {
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/tuned',
        'eks.amazonaws.com/audience': 'custom-aud',
        'eks.amazonaws.com/sts-regional-endpoints': 'false',
        'eks.amazonaws.com/token-expiration': '999999',
      },
    ],
    ['plain', {}],
  ];
  for (const [name, annotations] of accounts)
    await client.create({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: 'default', annotations },
    });
});
after(() => api?.close());

const makePod = (name: string, spec: Record<string, unknown>, annotations: Record<string, string> = {}): Promise<any> =>
  client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', annotations },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
  });

const envOf = (container: any) => Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value]));

describe('the pod identity webhook', () => {
  it('gives a pod of an annotated ServiceAccount the role env and the aws-iam-token volume', async () => {
    const pod = await makePod('irsa', { serviceAccountName: 'app', initContainers: [{ name: 'i', image: 'busybox' }] });
    assert.deepEqual(pod.spec.volumes[0], {
      name: 'aws-iam-token',
      projected: {
        defaultMode: 420,
        sources: [{ serviceAccountToken: { audience: 'sts.amazonaws.com', expirationSeconds: 86400, path: 'token' } }],
      },
    });
    for (const container of [...pod.spec.containers, ...pod.spec.initContainers]) {
      assert.deepEqual(container.env, [
        { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' },
        { name: 'AWS_DEFAULT_REGION', value: 'ap-northeast-2' },
        { name: 'AWS_REGION', value: 'ap-northeast-2' },
        { name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::111122223333:role/app' },
        { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' },
      ]);
      assert.ok(
        container.volumeMounts.some(
          (m: any) =>
            m.name === 'aws-iam-token' &&
            m.readOnly === true &&
            m.mountPath === '/var/run/secrets/eks.amazonaws.com/serviceaccount',
        ),
      );
    }
  });

  it('honours the audience, sts-regional-endpoints and token-expiration annotations', async () => {
    const tuned = await makePod('tuned', { serviceAccountName: 'tuned' });
    const source = tuned.spec.volumes[0].projected.sources[0].serviceAccountToken;
    assert.deepEqual(source, { audience: 'custom-aud', expirationSeconds: 86400, path: 'token' });
    assert.equal(envOf(tuned.spec.containers[0]).AWS_STS_REGIONAL_ENDPOINTS, undefined);
    const short = await makePod('short', { serviceAccountName: 'app' }, { 'eks.amazonaws.com/token-expiration': '60' });
    assert.equal(short.spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds, 600);
    const hour = await makePod('hour', { serviceAccountName: 'app' }, { 'eks.amazonaws.com/token-expiration': '3600' });
    assert.equal(hour.spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds, 3600);
  });

  it("keeps the pod's own env and skips the listed containers", async () => {
    const pod = await makePod(
      'own',
      {
        serviceAccountName: 'app',
        containers: [
          { name: 'a', image: 'busybox', env: [{ name: 'AWS_REGION', value: 'us-west-2' }] },
          { name: 'b', image: 'busybox' },
        ],
      },
      { 'eks.amazonaws.com/skip-containers': 'b' },
    );
    const env = envOf(pod.spec.containers[0]);
    assert.equal(env.AWS_REGION, 'us-west-2');
    assert.equal(env.AWS_DEFAULT_REGION, undefined);
    assert.equal(env.AWS_ROLE_ARN, 'arn:aws:iam::111122223333:role/app');
    assert.equal(envOf(pod.spec.containers[1]).AWS_ROLE_ARN, undefined);
    assert.ok(!pod.spec.containers[1].volumeMounts.some((m: any) => m.name === 'aws-iam-token'));
  });

  it('leaves pods of other ServiceAccounts alone', async () => {
    const pod = await makePod('plain', { serviceAccountName: 'plain' });
    assert.ok(!pod.spec.volumes.some((v: any) => v.name === 'aws-iam-token'));
    assert.equal(pod.spec.containers[0].env, undefined);
  });
});

describe("the kube API's issuer discovery", () => {
  it('serves the issuer and the JWKS of the signer', async () => {
    const signer = api.ctx.tokenSigner!;
    signer.useIssuer('http://127.0.0.1:4566/id/0123456789ABCDEF0123456789ABCDEF');
    const get = async (path: string) => {
      const { request } = await import('node:https');
      return new Promise<{ type: string; body: any }>((resolve, reject) => {
        const req = request(
          new URL(path, api.server.url),
          { ca: api.caCert, headers: { authorization: `Bearer ${api.token}` } },
          (res) => {
            let text = '';
            res.on('data', (d) => (text += d));
            res.on('end', () => resolve({ type: String(res.headers['content-type']), body: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    };
    const config = await get('/.well-known/openid-configuration');
    assert.equal(config.body.issuer, signer.issuer);
    assert.match(config.body.jwks_uri, /^https:\/\/127\.0\.0\.1:\d+\/openid\/v1\/jwks$/);
    const jwks = await get('/openid/v1/jwks');
    assert.equal(jwks.type, 'application/jwk-set+json');
    assert.deepEqual(jwks.body, signer.jwks());
    const { token } = signer.issue({
      namespace: 'default',
      serviceAccount: { name: 'app', uid: 'x' },
      audiences: ['sts.amazonaws.com'],
      expirationSeconds: 600,
    });
    assert.equal(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).iss, signer.issuer);
    signer.useIssuer('http://127.0.0.1:4567/id/0123456789ABCDEF0123456789ABCDEF');
    assert.ok(signer.verify(token), 'a token of the earlier issuer stays valid');
    const fresh = TokenSigner.generate();
    fresh.acceptIssuer('http://127.0.0.1:4566/id/0123456789ABCDEF0123456789ABCDEF');
    assert.equal(fresh.verify(token), undefined, 'another key');
  });
});
