// What an extra EKS cluster costs: CreateCluster → ACTIVE (its SQLite store, PKI, kube API, controllers, add-on
// objects and a simulated agent, started by the cluster fleet in this process) and DeleteCluster → gone, timed
// through @aws-sdk/client-eks; and the resident memory each running cluster adds to the process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateClusterCommand, DeleteClusterCommand, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { ClusterFleet } from '../src/cli/cluster/fleet.js';
import { hostStarter } from '../src/cli/cluster/fleet-hosts.js';
import { processLogger } from '../src/client/logger.js';
import { StoreClusterFacts } from '../src/eks/cluster-facts.js';
import { generateAwsCredentials } from '../src/eks/credentials.js';
import { IamSessions } from '../src/eks/iam/sessions.js';
import { startEksApi } from '../src/eks/server.js';
import { VpcIpam } from '../src/scheduler/ipam/vpc-ipam.js';
import { openStore } from '../src/store/index.js';

const region = 'ap-northeast-2';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function settledRss(): Promise<number> {
  await sleep(1500);
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(200);
  return process.memoryUsage().rss;
}

export default async function () {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dir = await mkdtemp(join(tmpdir(), 'skiff-clusters-bench-'));
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'state.db') });
  const credentials = generateAwsCredentials();
  const sessions = new IamSessions(credentials);
  const api = await startEksApi({
    store,
    host: '127.0.0.1',
    port: 0,
    region,
    clusterName: 'bench',
    kubernetesVersion: '1.32',
    kubeEndpoint: 'https://127.0.0.1:6443',
    caCertPem: 'bench',
    credentials,
    sessions,
  });
  const fleet = new ClusterFleet({
    store,
    dataDir: dir,
    region,
    host: '127.0.0.1',
    credentials,
    sessions,
    builtIn: { name: 'bench', facts: new StoreClusterFacts(store, 'bench', region, '1.32') },
    vpcIpam: new VpcIpam([]),
    eksUrl: api.url,
    startHost: hostStarter(undefined, dir, processLogger()),
  });
  await fleet.start();
  const eks = new EKSClient({ region, endpoint: api.url, credentials });
  const status = async (name: string) =>
    (await eks.send(new DescribeClusterCommand({ name })).catch(() => undefined))?.cluster?.status;
  try {
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'bench' }));
    const subnetIds = cluster?.resourcesVpcConfig?.subnetIds ?? [];
    const n = 3;
    const before = await settledRss();
    const createMs: number[] = [];
    for (let i = 0; i < n; i++) {
      const name = `extra-${i}`;
      const t = performance.now();
      await eks.send(
        new CreateClusterCommand({
          name,
          roleArn: 'arn:aws:iam::111122223333:role/bench',
          resourcesVpcConfig: { subnetIds },
        }),
      );
      while ((await status(name)) !== 'ACTIVE') await sleep(5);
      createMs.push(performance.now() - t);
    }
    const after = await settledRss();
    const deleteMs: number[] = [];
    for (let i = 0; i < n; i++) {
      const name = `extra-${i}`;
      const t = performance.now();
      await eks.send(new DeleteClusterCommand({ name }));
      while ((await status(name)) !== undefined) await sleep(5);
      deleteMs.push(performance.now() - t);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return [
      {
        name: 'create-cluster → ACTIVE',
        value: +mean(createMs).toFixed(0),
        unit: 'ms',
        note: `mean of ${n}: store, PKI, kube API, controllers, add-on objects, simulated agent`,
      },
      {
        name: 'RSS per extra cluster',
        value: +((after - before) / n / 2 ** 20).toFixed(1),
        unit: 'MiB',
        note: `${n} idle clusters, RSS ${(before / 2 ** 20).toFixed(0)} → ${(after / 2 ** 20).toFixed(0)} MiB`,
      },
      { name: 'delete-cluster → gone', value: +mean(deleteMs).toFixed(0), unit: 'ms', note: `mean of ${n}` },
    ];
  } finally {
    eks.destroy();
    await fleet.stop();
    await api.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
