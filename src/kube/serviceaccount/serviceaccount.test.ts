// ServiceAccount tokens end to end over HTTPS: TokenRequest (defaults, the 10-minute minimum, a missing
// ServiceAccount, a bound pod and a UID mismatch); the token accepted as system:serviceaccount:<ns>:<name> and
// refused once its pod is gone, when expired, for another audience, or when tampered with; the ServiceAccount
// admission's kube-api-access volume and automountServiceAccountToken; kube-root-ca.crt in every namespace.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../api/types.js';
import type { KubeClient } from '../client/types.js';
import { inProcessClient } from '../index.js';
import { startTestApi, type TestApi } from '../testing/api.js';
import { TokenSigner } from './signer.js';

let api: TestApi;
let client: KubeClient;

before(async () => {
  api = await startTestApi({ serviceAccounts: true });
  client = inProcessClient(api.ctx);
});
after(() => api?.close());

function call(method: string, path: string, token: string, body?: unknown): Promise<{ code: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, api.server.url),
      {
        method,
        ca: api.caCert,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const tokenPath = (ns: string, sa: string) => `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`;
const tokenRequest = (spec: Record<string, unknown>) => ({
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'TokenRequest',
  spec,
});

async function makePod(name: string, spec: Record<string, unknown> = {}): Promise<KubeObject> {
  return client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
  });
}

describe('TokenSigner', () => {
  it('verifies what it signed, and nothing else', () => {
    const signer = TokenSigner.generate();
    const { token, claims } = signer.issue({
      namespace: 'ns',
      serviceAccount: { name: 'sa', uid: 'u' },
      audiences: ['a'],
      expirationSeconds: 600,
    });
    assert.equal(claims.sub, 'system:serviceaccount:ns:sa');
    assert.deepEqual(signer.verify(token), claims);
    assert.equal(signer.verify(token, (claims.exp + 1) * 1000), undefined, 'expired');
    assert.equal(TokenSigner.generate().verify(token), undefined, 'another key');
    const [h, b, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:ns:admin' })).toString(
      'base64url',
    );
    assert.equal(signer.verify(`${h}.${forged}.${s}`), undefined, 'tampered');
    assert.equal(signer.verify(`${h}.${b}`), undefined);
  });
});

describe('TokenRequest', () => {
  it('issues a default token the API accepts as the ServiceAccount', async () => {
    const answer = await call('POST', tokenPath('default', 'default'), api.token, tokenRequest({}));
    assert.equal(answer.code, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.kind, 'TokenRequest');
    assert.equal(answer.body.spec.expirationSeconds, 3600);
    assert.ok(answer.body.spec.audiences.length > 0);
    const expires = Date.parse(answer.body.status.expirationTimestamp);
    assert.ok(Math.abs(expires - (Date.now() + 3600_000)) < 5000);
    const review = await call('GET', '/api', answer.body.status.token);
    assert.equal(review.code, 200);
    const whoami = await call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', answer.body.status.token, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
    });
    assert.equal(whoami.code, 201);
    assert.equal(whoami.body.status.userInfo.username, 'system:serviceaccount:default:default');
    assert.deepEqual(whoami.body.status.userInfo.groups, [
      'system:serviceaccounts',
      'system:serviceaccounts:default',
      'system:authenticated',
    ]);
  });

  it('refuses less than 10 minutes and a missing ServiceAccount', async () => {
    const short = await call(
      'POST',
      tokenPath('default', 'default'),
      api.token,
      tokenRequest({ expirationSeconds: 599 }),
    );
    assert.equal(short.code, 422);
    assert.match(short.body.message, /may not specify a duration less than 10 minutes/);
    const missing = await call('POST', tokenPath('default', 'nobody'), api.token, tokenRequest({}));
    assert.equal(missing.code, 404);
    assert.equal(missing.body.message, 'serviceaccounts "nobody" not found');
  });

  it('binds to a pod: refused after the pod is deleted; a UID mismatch is a conflict', async () => {
    const pod = await makePod('bound');
    const ref = { kind: 'Pod', apiVersion: 'v1', name: 'bound', uid: pod.metadata.uid };
    const answer = await call(
      'POST',
      tokenPath('default', 'default'),
      api.token,
      tokenRequest({ boundObjectRef: ref }),
    );
    assert.equal(answer.code, 201, JSON.stringify(answer.body));
    const token = answer.body.status.token;
    assert.equal((await call('GET', '/api', token)).code, 200);
    const wrong = await call(
      'POST',
      tokenPath('default', 'default'),
      api.token,
      tokenRequest({ boundObjectRef: { ...ref, uid: 'not-it' } }),
    );
    assert.equal(wrong.code, 409);
    assert.match(wrong.body.message, /does not match the UID in record/);
    await client.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'default' }, 'bound', { gracePeriodSeconds: 0 });
    assert.equal((await call('GET', '/api', token)).code, 401);
  });

  it('extends the default volume token to a year, with warnafter and the node', async () => {
    await client.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } });
    const pod = await makePod('extended', { nodeName: 'node-1' });
    const ref = { kind: 'Pod', apiVersion: 'v1', name: 'extended', uid: pod.metadata.uid };
    const answer = await call(
      'POST',
      tokenPath('default', 'default'),
      api.token,
      tokenRequest({ boundObjectRef: ref, expirationSeconds: 3607 }),
    );
    assert.equal(answer.code, 201, JSON.stringify(answer.body));
    const expires = Date.parse(answer.body.status.expirationTimestamp);
    assert.ok(expires - Date.now() > 364 * 24 * 3600_000);
    const claims = JSON.parse(Buffer.from(answer.body.status.token.split('.')[1], 'base64url').toString());
    assert.equal(claims['kubernetes.io'].warnafter, claims.iat + 3607);
    assert.equal(claims['kubernetes.io'].node.name, 'node-1');
    const whoami = await call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', answer.body.status.token, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
    });
    assert.deepEqual(whoami.body.status.userInfo.extra['authentication.kubernetes.io/node-name'], ['node-1']);
  });

  it('refuses a token for another audience', async () => {
    const answer = await call(
      'POST',
      tokenPath('default', 'default'),
      api.token,
      tokenRequest({ audiences: ['vault'] }),
    );
    assert.equal(answer.code, 201);
    assert.equal((await call('GET', '/api/v1/namespaces', answer.body.status.token)).code, 401);
  });
});

describe('TokenReview', () => {
  const review = (token: unknown, audiences?: string[]) =>
    call('POST', '/apis/authentication.k8s.io/v1/tokenreviews', api.token, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token, ...(audiences ? { audiences } : {}) },
    });

  it("says who a ServiceAccount token is and the audiences it matched, as kube-apiserver's TokenReview does", async () => {
    const issued = await call('POST', tokenPath('default', 'default'), api.token, tokenRequest({}));
    const answer = await review(issued.body.status.token);
    assert.equal(answer.code, 201);
    assert.equal(answer.body.kind, 'TokenReview');
    assert.equal(answer.body.status.authenticated, true);
    assert.equal(answer.body.status.user.username, 'system:serviceaccount:default:default');
    assert.deepEqual(answer.body.status.user.groups, [
      'system:serviceaccounts',
      'system:serviceaccounts:default',
      'system:authenticated',
    ]);
    assert.ok(answer.body.status.user.extra['authentication.kubernetes.io/credential-id'][0].startsWith('JTI='));
    assert.deepEqual(answer.body.status.audiences, issued.body.spec.audiences);
  });

  it('checks the audiences asked for: a vault token passes for vault only', async () => {
    const issued = await call(
      'POST',
      tokenPath('default', 'default'),
      api.token,
      tokenRequest({ audiences: ['vault'] }),
    );
    const forVault = await review(issued.body.status.token, ['vault', 'other']);
    assert.equal(forVault.body.status.authenticated, true);
    assert.deepEqual(forVault.body.status.audiences, ['vault']);
    const forApi = await review(issued.body.status.token);
    assert.equal(forApi.code, 201);
    assert.equal(forApi.body.status.authenticated, undefined);
    assert.deepEqual(forApi.body.status.user, {});
  });

  it('the admin token matches the API audiences only; a bad token is not authenticated; no token is a 400', async () => {
    const admin = await review(api.token);
    assert.equal(admin.body.status.authenticated, true);
    assert.ok(admin.body.status.audiences.includes('https://kubernetes.default.svc'));
    assert.equal((await review(api.token, ['vault'])).body.status.authenticated, undefined);
    const bad = await review('not-a-token');
    assert.equal(bad.code, 201);
    assert.deepEqual(bad.body.status, { user: {} });
    const none = await review('');
    assert.equal(none.code, 400);
    assert.equal(none.body.message, 'token is required for TokenReview in authentication');
  });
});

describe('service-account-token Secrets', () => {
  it('fills the Secret with a token the API accepts until the Secret is gone', async () => {
    const ref = { apiVersion: 'v1', kind: 'Secret', namespace: 'default' };
    await client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name: 'default-token',
        namespace: 'default',
        annotations: { 'kubernetes.io/service-account.name': 'default' },
      },
    });
    const secret = await client.get(ref, 'default-token');
    const decode = (v: string) => Buffer.from(v, 'base64').toString();
    assert.equal(decode(secret.data.namespace), 'default');
    assert.equal(decode(secret.data['ca.crt']), api.caCert);
    assert.ok(secret.metadata.annotations?.['kubernetes.io/service-account.uid']);
    const token = decode(secret.data.token);
    const whoami = await call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', token, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
    });
    assert.equal(whoami.body.status.userInfo.username, 'system:serviceaccount:default:default');
    await client.delete(ref, 'default-token');
    assert.equal((await call('GET', '/api/v1/namespaces', token)).code, 401);
  });

  it('must name its ServiceAccount', async () => {
    await assert.rejects(
      client.create({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/service-account-token',
        metadata: { name: 'anonymous-token', namespace: 'default' },
      }),
      { message: /metadata\.annotations\[kubernetes\.io\/service-account\.name\]: Required value/ },
    );
  });
});

describe('ServiceAccount admission', () => {
  it('adds the kube-api-access volume to every container', async () => {
    const pod = await makePod('mounted', { initContainers: [{ name: 'init', image: 'busybox' }] });
    assert.equal(pod.spec.serviceAccountName, 'default');
    const volume = pod.spec.volumes.find((v: any) => v.name.startsWith('kube-api-access-'));
    assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(
      volume.projected.sources.map((s: any) => Object.keys(s)[0]),
      ['serviceAccountToken', 'configMap', 'downwardAPI'],
    );
    for (const c of [...pod.spec.containers, ...pod.spec.initContainers]) {
      assert.deepEqual(c.volumeMounts, [
        { name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
      ]);
    }
  });

  it("gives the pod its ServiceAccount's imagePullSecrets", async () => {
    await client.create({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'puller', namespace: 'default' },
      imagePullSecrets: [{ name: 'regcred' }],
    });
    const pod = await makePod('pulling', { serviceAccountName: 'puller' });
    assert.deepEqual(pod.spec.imagePullSecrets, [{ name: 'regcred' }]);
  });

  it('honours automountServiceAccountToken and refuses a missing ServiceAccount', async () => {
    const pod = await makePod('unmounted', { automountServiceAccountToken: false });
    assert.equal(pod.spec.volumes, undefined);
    await assert.rejects(makePod('ghost', { serviceAccountName: 'ghost' }), {
      message:
        'pods "ghost" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found',
    });
  });

  it('publishes kube-root-ca.crt in every namespace', async () => {
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } });
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'fresh' };
    const cm = await client.get(ref, 'kube-root-ca.crt');
    assert.equal(cm.data['ca.crt'], api.caCert);
    await client.delete(ref, 'kube-root-ca.crt');
    assert.equal((await client.get(ref, 'kube-root-ca.crt')).data['ca.crt'], api.caCert);
  });
});
