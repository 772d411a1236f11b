// Shared by the EKS e2e tests: a standalone EKS API on 127.0.0.1:0 in a temp dir, and runners for the real aws CLI.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AwsCredentials, ensureAwsCredentials } from '../../src/eks/credentials.js';
import { type EksApi, startEksApi } from '../../src/eks/server.js';
import { openStore } from '../../src/store/index.js';
import type { Backend } from '../../src/store/types.js';

export const REGION = 'ap-northeast-2';
export const ROLE = 'arn:aws:iam::111122223333:role/fargate-pod-role';
export const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBskiffTestCA\n-----END CERTIFICATE-----\n';

export interface Standalone {
  dir: string;
  store: Backend;
  creds: AwsCredentials;
  api: EksApi;
  env: NodeJS.ProcessEnv;
  start(delayMs?: number): Promise<EksApi>;
  /** Stops the API and closes the store, then reopens both from the data dir. */
  restart(delayMs?: number): Promise<EksApi>;
  aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  awsJson<T = Record<string, unknown>>(...args: string[]): Promise<T>;
  close(): Promise<void>;
}

export async function standalone(opts: { clusterName?: string; delayMs?: number } = {}): Promise<Standalone> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-eks-e2e-'));
  let store = await openStore({ kind: 'sqlite', path: dir });
  const creds = await ensureAwsCredentials(join(dir, 'aws'), REGION);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws', 'credentials'),
    AWS_CONFIG_FILE: join(dir, 'aws', 'config'),
    KUBECONFIG: join(dir, 'kubeconfig'),
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: '',
    AWS_DEFAULT_REGION: '',
  };
  for (const k of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_PROFILE',
    'AWS_DEFAULT_REGION',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_EKS',
  ])
    delete env[k];
  const self: Standalone = {
    dir,
    store,
    creds,
    env,
    api: undefined as unknown as EksApi,
    async start(delayMs = opts.delayMs ?? 300) {
      self.api = await startEksApi({
        store,
        host: '127.0.0.1',
        port: 0,
        region: REGION,
        clusterName: opts.clusterName ?? 'demo',
        kubernetesVersion: '1.32',
        kubeEndpoint: 'https://127.0.0.1:6443',
        caCertPem: CA_PEM,
        credentials: creds,
        profileTransitionDelayMs: delayMs,
      });
      return self.api;
    },
    async restart(delayMs) {
      await self.api.close();
      await store.close();
      store = await openStore({ kind: 'sqlite', path: dir });
      self.store = store;
      return self.start(delayMs);
    },
    aws(...args) {
      return new Promise((resolve) => {
        execFile(
          'aws',
          ['--endpoint-url', self.api.url, '--region', REGION, ...args],
          { env },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
            resolve({ code, stdout, stderr });
          },
        );
      });
    },
    async awsJson(...args) {
      const r = await self.aws(...args);
      if (r.code !== 0) throw new Error(`aws ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return JSON.parse(r.stdout);
    },
    async close() {
      await self.api?.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await self.start();
  return self;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
