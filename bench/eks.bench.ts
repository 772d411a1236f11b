// The EKS API's cost per request, measured with @aws-sdk/client-eks against a server on 127.0.0.1 and the sqlite
// store: DescribeCluster and DescribeFargateProfile latency (SigV4 verified each time), and create throughput.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateFargateProfileCommand,
  DeleteFargateProfileCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import { generateAwsCredentials } from '../src/eks/credentials.js';
import { startEksApi } from '../src/eks/server.js';
import { openStore } from '../src/store/index.js';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return samples.sort((a, b) => a - b);
}

export default async function () {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dir = await mkdtemp(join(tmpdir(), 'skiff-eks-bench-'));
  const store = await openStore({ kind: 'sqlite', path: dir });
  const credentials = generateAwsCredentials();
  const api = await startEksApi({
    store,
    host: '127.0.0.1',
    port: 0,
    region: 'ap-northeast-2',
    clusterName: 'bench',
    kubernetesVersion: '1.32',
    kubeEndpoint: 'https://127.0.0.1:6443',
    caCertPem: 'bench',
    credentials,
    profileTransitionDelayMs: 0,
  });
  const eks = new EKSClient({ region: 'ap-northeast-2', endpoint: api.url, credentials });
  try {
    await eks.send(new DescribeClusterCommand({ name: 'bench' }));
    const describe = await timed(300, () => eks.send(new DescribeClusterCommand({ name: 'bench' })));
    const role = 'arn:aws:iam::111122223333:role/bench';
    const t0 = performance.now();
    const n = 50;
    for (let i = 0; i < n; i++) {
      const name = `fp-${i}`;
      await eks.send(
        new CreateFargateProfileCommand({
          clusterName: 'bench',
          fargateProfileName: name,
          podExecutionRoleArn: role,
          selectors: [{ namespace: name }],
        }),
      );
      while (
        (await eks.send(new DescribeFargateProfileCommand({ clusterName: 'bench', fargateProfileName: name })))
          .fargateProfile?.status !== 'ACTIVE'
      ) {
        await new Promise((r) => setTimeout(r, 1));
      }
      await eks.send(new DeleteFargateProfileCommand({ clusterName: 'bench', fargateProfileName: name }));
      await new Promise((r) => setTimeout(r, 2));
    }
    const cycle = (performance.now() - t0) / n;
    return [
      {
        name: 'describe-cluster p50',
        value: +percentile(describe, 50).toFixed(2),
        unit: 'ms',
        note: 'SDK → SigV4 verify → store read, 300 calls',
      },
      { name: 'describe-cluster p99', value: +percentile(describe, 99).toFixed(2), unit: 'ms' },
      {
        name: 'profile create→ACTIVE→delete cycle',
        value: +cycle.toFixed(2),
        unit: 'ms',
        note: `mean of ${n}, transition delay 0`,
      },
    ];
  } finally {
    eks.destroy();
    await api.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
