// IRSA on `skiff up --runtime process`: a Fargate pod whose ServiceAccount carries eks.amazonaws.com/role-arn gets the
// pod identity webhook's env and the aws-iam-token projected token (read with `kubectl exec cat`), signed by the
// cluster's issuer; the real aws CLI exchanges it at STS (`assume-role-with-web-identity --endpoint-url`) for a role
// session whose key lists the clusters. The same ServiceAccount has a pod identity association, yet the Fargate pod
// gets no AWS_CONTAINER_CREDENTIALS_FULL_URI, as on EKS (no Pod Identity Agent on Fargate).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { type Walkthrough, walkthrough } from './harness/cluster.js';
import { run, type SkiffProcess, startSkiff } from './harness/skiff.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/containerd');
const image = 'import.skiff.local/e2e/busybox:irsa';
let skiff: SkiffProcess;
let w: Walkthrough;

async function apply(manifest: unknown) {
  const out = await skiff.kubectl(['apply', '-f', '-'], JSON.stringify(manifest));
  assert.equal(out.code, 0, out.stderr);
}

describe('IRSA from a Fargate pod', { skip: !canRun && 'needs root and containerd' }, () => {
  before(async () => {
    skiff = await startSkiff(['--runtime', 'process']);
    const layout = join(skiff.dataDir, 'busybox-layout');
    writeBusyboxImage(layout, image);
    await skiff.importImage(layout);
    w = await walkthrough(skiff);
    await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'irsa' } });
    await w.fargateProfile('irsa', 'irsa');
  });
  after(async () => {
    await skiff?.stop();
  });

  it("exchanges the pod's token at STS for credentials that call EKS", async () => {
    const endpoint = ['--endpoint-url', skiff.eksEndpoint];
    const cluster = JSON.parse((await w.aws(...endpoint, 'eks', 'describe-cluster', '--name', 'skiff')).stdout).cluster;
    const issuer: string = cluster.identity.oidc.issuer;
    assert.match(issuer, /\/id\/[0-9A-F]{32}$/);
    const hostPath = issuer.replace(/^https?:\/\//, '');
    const account = cluster.arn.split(':')[4];
    const trust = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/${hostPath}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${hostPath}:sub`]: 'system:serviceaccount:irsa:app' } },
        },
      ],
    };
    const provider = await w.aws(
      ...endpoint,
      'iam',
      'create-open-id-connect-provider',
      '--url',
      issuer,
      '--client-id-list',
      'sts.amazonaws.com',
    );
    assert.equal(provider.code, 0, provider.stderr);
    const role = await w.aws(
      ...endpoint,
      'iam',
      'create-role',
      '--role-name',
      'irsa-app',
      '--assume-role-policy-document',
      JSON.stringify(trust),
    );
    assert.equal(role.code, 0, role.stderr);
    const roleArn = JSON.parse(role.stdout).Role.Arn;
    const association = await w.aws(
      ...endpoint,
      'eks',
      'create-pod-identity-association',
      '--cluster-name',
      'skiff',
      '--namespace',
      'irsa',
      '--service-account',
      'app',
      '--role-arn',
      roleArn,
    );
    assert.equal(association.code, 0, association.stderr);
    await apply({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'app', namespace: 'irsa', annotations: { 'eks.amazonaws.com/role-arn': roleArn } },
    });
    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'app', namespace: 'irsa' },
      spec: {
        serviceAccountName: 'app',
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'main', image, imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
      },
    });
    await w.waitFor(
      async () => (await w.pods('irsa')).find((p) => p.status?.phase === 'Running'),
      'the IRSA pod to run',
      120_000,
    );
    const pod = (await w.pods('irsa'))[0];
    assert.match(pod.spec.nodeName, /^fargate-/);

    const envOut = await skiff.kubectl(['exec', '-n', 'irsa', 'app', '--', 'env']);
    assert.equal(envOut.code, 0, envOut.stderr);
    const env = Object.fromEntries(
      envOut.stdout
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.equal(env.AWS_ROLE_ARN, roleArn);
    assert.equal(env.AWS_WEB_IDENTITY_TOKEN_FILE, '/var/run/secrets/eks.amazonaws.com/serviceaccount/token');
    assert.equal(env.AWS_STS_REGIONAL_ENDPOINTS, 'regional');
    assert.equal(env.AWS_REGION, cluster.arn.split(':')[3]);
    assert.equal(env.AWS_CONTAINER_CREDENTIALS_FULL_URI, undefined, 'no pod identity on Fargate');

    const cat = await skiff.kubectl(['exec', '-n', 'irsa', 'app', '--', 'cat', env.AWS_WEB_IDENTITY_TOKEN_FILE]);
    assert.equal(cat.code, 0, cat.stderr);
    const token = cat.stdout.trim();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.equal(claims.iss, issuer);
    assert.deepEqual(claims.aud, ['sts.amazonaws.com']);
    assert.equal(claims.sub, 'system:serviceaccount:irsa:app');
    assert.equal(claims.exp - claims.iat, 86400);

    const assumed = await w.aws(
      ...endpoint,
      'sts',
      'assume-role-with-web-identity',
      '--role-arn',
      roleArn,
      '--role-session-name',
      'irsa-pod',
      '--web-identity-token',
      token,
    );
    assert.equal(assumed.code, 0, assumed.stderr);
    const { Credentials, AssumedRoleUser } = JSON.parse(assumed.stdout);
    assert.equal(AssumedRoleUser.Arn, `arn:aws:sts::${account}:assumed-role/irsa-app/irsa-pod`);
    const listed = await run('aws', [...endpoint, '--region', cluster.arn.split(':')[3], 'eks', 'list-clusters'], {
      env: {
        AWS_ACCESS_KEY_ID: Credentials.AccessKeyId,
        AWS_SECRET_ACCESS_KEY: Credentials.SecretAccessKey,
        AWS_SESSION_TOKEN: Credentials.SessionToken,
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_CONFIG_FILE: '/dev/null',
      },
    });
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout).clusters, ['skiff']);

    const kubeConfig = await skiff.kubectl(['get', '--raw', '/.well-known/openid-configuration']);
    assert.equal(JSON.parse(kubeConfig.stdout).issuer, issuer);
    const jwks = JSON.parse((await skiff.kubectl(['get', '--raw', '/openid/v1/jwks'])).stdout);
    assert.deepEqual(jwks, await (await fetch(`${issuer}/keys`)).json());
  });
});
