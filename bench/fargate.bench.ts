// 1,000 Fargate pods created at once on the simulated runtime, in process: the kube API on SQLite, the Fargate
// admission, fargate-scheduler (sizing, IPAM, one Node each, bind) and the agent. Time until all are Running and
// p50/p99 of create → Running, once with instant simulated steps (Skiff's own overhead) and once with the defaults.
import { performance } from 'node:perf_hooks';
import { createSimulatedDriver, type SimulatedTimingsOverride, startAgent } from '../src/agent/index.js';
import { startControlPlane } from '../src/cli/cluster/control-plane.js';
import { simulatedHostCapacity } from '../src/cli/cluster/host.js';
import { defaultSubnets, StaticClusterFacts } from '../src/cloud/static.js';
import type { KubeObject } from '../src/kube/api/types.js';
import { inProcessClient } from '../src/kube/index.js';
import { startTestApi } from '../src/kube/testing/api.js';
import type { BenchResult } from './run.js';

const total = 1000;
const concurrency = 32;
const instant: SimulatedTimingsOverride = {
  sandboxBootMs: { nodegroup: 0, fargate: 0 },
  imagePullMs: { default: 0 },
  imageRecheckMs: 0,
  containerCreateMs: 0,
  containerStartMs: 0,
};

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const round = (x: number) => Math.round(x);

const pod = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `fp-${String(i).padStart(4, '0')}`, namespace: 'bench', labels: { app: 'bench' } },
  spec: {
    containers: [{ name: 'nginx', image: 'nginx', resources: { requests: { cpu: '500m', memory: '512Mi' } } }],
  },
});

async function run(label: string, timings: SimulatedTimingsOverride): Promise<BenchResult[]> {
  const api = await startTestApi({ store: 'sqlite' });
  const client = inProcessClient(api.ctx);
  const facts = new StaticClusterFacts();
  const privateSubnets = defaultSubnets(facts.region)
    .filter((s) => !s.public)
    .map((s) => s.subnetId);
  facts.setProfiles([
    {
      name: 'bench',
      status: 'ACTIVE',
      selectors: [{ namespace: 'bench' }],
      subnets: privateSubnets,
      podExecutionRoleArn: 'arn:aws:iam::111122223333:role/bench',
    },
  ]);
  const controlPlane = await startControlPlane({ ctx: api.ctx, facts });
  const agent = await startAgent({
    client,
    hostName: 'bench-host',
    capacity: simulatedHostCapacity,
    driver: createSimulatedDriver(timings),
  });
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });

  const createdAt = new Map<string, number>();
  const runningAt = new Map<string, number>();
  let allRunning: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    allRunning = resolve;
  });
  const watcher = await client.watch({ apiVersion: 'v1', kind: 'Pod', namespace: 'bench' }, {}, (event) => {
    const pod = event.object as KubeObject & { status?: { phase?: string } };
    const name = pod.metadata.name as string;
    if (pod.status?.phase !== 'Running' || runningAt.has(name)) return;
    runningAt.set(name, performance.now());
    if (runningAt.size === total) allRunning();
  });

  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        createdAt.set(pod(i).metadata.name, performance.now());
        await client.create(pod(i));
      }
    }),
  );
  const created = performance.now();
  await done;
  const end = performance.now();
  const latencies = [...runningAt].map(([name, at]) => at - createdAt.get(name)!);
  const nodes = await client.list({ apiVersion: 'v1', kind: 'Node' });
  const rss = process.memoryUsage().rss / 2 ** 20;

  watcher.close();
  await agent.stop();
  await controlPlane.stop();
  await api.close();
  const note = `${total} pods, ${nodes.items.length} Fargate nodes, creates took ${round(created - start)} ms`;
  return [
    { name: `${label}: all ${total} Running`, value: round(end - start), unit: 'ms', note },
    { name: `${label}: create → Running p50`, value: round(quantile(latencies, 0.5)), unit: 'ms' },
    { name: `${label}: create → Running p99`, value: round(quantile(latencies, 0.99)), unit: 'ms' },
    { name: `${label}: RSS after`, value: round(rss), unit: 'MiB' },
  ];
}

export default async function bench(): Promise<BenchResult[]> {
  return [...(await run('instant steps', instant)), ...(await run('default simulated timings', {}))];
}
