// `aws eks update-kubeconfig` against the EKS API, then the real kubectl against the kube API with the EKS token
// the kubeconfig's exec plugin (`aws eks get-token`) makes: accepted for this cluster's key, refused otherwise.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { eksTokenAuthenticator } from '../../src/eks/auth/token.js';
import { ensureAwsCredentials, generateAwsCredentials } from '../../src/eks/credentials.js';
import { type EksApi, startEksApi } from '../../src/eks/server.js';
import { createApiContext, type KubeApiServer, startKubeApi } from '../../src/kube/index.js';
import { ensurePki } from '../../src/kube/pki/pki.js';
import { openStore } from '../../src/store/index.js';
import type { Backend } from '../../src/store/types.js';

let dir: string;
let store: Backend;
let kube: KubeApiServer;
let eks: EksApi;
let env: NodeJS.ProcessEnv;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skiff-eks-kubectl-'));
  store = await openStore({ kind: 'sqlite', path: dir });
  const creds = await ensureAwsCredentials(join(dir, 'aws'), 'ap-northeast-2');
  const pki = await ensurePki(join(dir, 'pki'), 'skiff');
  const ctx = await createApiContext(store);
  kube = await startKubeApi({
    ctx,
    pki,
    host: '127.0.0.1',
    port: 0,
    authenticators: [eksTokenAuthenticator({ credentials: () => [creds], clusterName: 'skiff' })],
  });
  eks = await startEksApi({
    store,
    host: '127.0.0.1',
    port: 0,
    region: 'ap-northeast-2',
    clusterName: 'skiff',
    kubernetesVersion: '1.32',
    kubeEndpoint: kube.url,
    caCertPem: pki.caCert,
    credentials: creds,
  });
  env = {
    ...process.env,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws', 'credentials'),
    AWS_CONFIG_FILE: join(dir, 'aws', 'config'),
    KUBECONFIG: join(dir, 'kubeconfig'),
  };
  for (const k of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_PROFILE',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_EKS',
  ])
    delete env[k];
});
after(async () => {
  await eks.close();
  await kube.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const run = (cmd: string, args: string[], e = env) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(cmd, args, { env: e }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

test('update-kubeconfig then kubectl get ns with the EKS token', async () => {
  const u = await run('aws', [
    '--endpoint-url',
    eks.url,
    '--region',
    'ap-northeast-2',
    'eks',
    'update-kubeconfig',
    '--name',
    'skiff',
  ]);
  assert.equal(u.code, 0, u.stderr);
  const ns = await run('kubectl', ['get', 'ns', '-o', 'name']);
  assert.equal(ns.code, 0, ns.stderr);
  assert.match(ns.stdout, /namespace\/default/);
  assert.match(ns.stdout, /namespace\/kube-system/);
});

test('kubectl with a token signed by an unknown key is refused', async () => {
  const other = generateAwsCredentials();
  const stranger = { ...env, AWS_ACCESS_KEY_ID: other.accessKeyId, AWS_SECRET_ACCESS_KEY: other.secretAccessKey };
  const r = await run('kubectl', ['get', 'ns'], stranger);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Unauthorized|must be logged in/);
});
