// 1,000 Fargate pods created at once on the simulated runtime, in process: the kube API on SQLite, the Fargate
// admission, fargate-scheduler (sizing, IPAM, one Node each, bind) and the agent. Time until all are Running and
// p50/p99 of create → Running, once with instant simulated steps (Skiff's own overhead) and once with the defaults.
import { performance } from 'node:perf_hooks';
import type { SimulatedTimingsOverride } from '../src/agent/index.js';
import type { KubeObject } from '../src/kube/api/types.js';
import { benchPod, instant, startFargateCluster } from './fargate-cluster.js';
import type { BenchResult } from './run.js';

const total = 1000;
const concurrency = 32;

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const round = (x: number) => Math.round(x);

const pod = (i: number) => benchPod(`fp-${String(i).padStart(4, '0')}`, '500m');

/** The API on SQLite, the whole control plane with one ACTIVE profile for namespace `bench`, and one agent. */
async function startBenchCluster(timings: SimulatedTimingsOverride) {
  const cluster = await startFargateCluster(timings);
  const { client } = cluster;
  const runningAt = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const watcher = await client.watch({ apiVersion: 'v1', kind: 'Pod', namespace: 'bench' }, {}, (event) => {
    const pod = event.object as KubeObject & { status?: { phase?: string } };
    const name = pod.metadata.name as string;
    if (pod.status?.phase !== 'Running' || runningAt.has(name)) return;
    runningAt.set(name, performance.now());
    waiters.get(name)?.();
  });
  return {
    client,
    runningAt,
    /** Resolves when the named pod has been seen Running. */
    running: (name: string) =>
      runningAt.has(name) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(name, resolve)),
    async stop() {
      watcher.close();
      await cluster.stop();
    },
  };
}

async function atOnce(label: string, timings: SimulatedTimingsOverride): Promise<BenchResult[]> {
  const cluster = await startBenchCluster(timings);
  const createdAt = new Map<string, number>();
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        createdAt.set(pod(i).metadata.name, performance.now());
        await cluster.client.create(pod(i));
      }
    }),
  );
  const created = performance.now();
  await Promise.all([...createdAt.keys()].map((name) => cluster.running(name)));
  const end = performance.now();
  const latencies = [...cluster.runningAt].map(([name, at]) => at - createdAt.get(name)!);
  const nodes = await cluster.client.list({ apiVersion: 'v1', kind: 'Node' });
  const rss = process.memoryUsage().rss / 2 ** 20;
  await cluster.stop();
  const note = `${total} pods, ${nodes.items.length} Fargate nodes, creates took ${round(created - start)} ms`;
  return [
    { name: `${label}: all ${total} Running`, value: round(end - start), unit: 'ms', note },
    { name: `${label}: create → Running p50`, value: round(quantile(latencies, 0.5)), unit: 'ms' },
    { name: `${label}: create → Running p99`, value: round(quantile(latencies, 0.99)), unit: 'ms' },
    { name: `${label}: RSS after`, value: round(rss), unit: 'MiB' },
  ];
}

/** One pod at a time, each waited for: the latency a single `kubectl run` sees from Skiff itself. */
async function oneAtATime(count: number): Promise<BenchResult[]> {
  const cluster = await startBenchCluster(instant);
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await cluster.client.create(pod(i));
    await cluster.running(pod(i).metadata.name);
    latencies.push(performance.now() - start);
  }
  await cluster.stop();
  const note = `${count} pods, instant simulated steps: admission, scheduling, Node, bind, agent status`;
  return [
    {
      name: 'one Fargate pod at a time: create → Running p50',
      value: round(quantile(latencies, 0.5)),
      unit: 'ms',
      note,
    },
    { name: 'one Fargate pod at a time: create → Running p99', value: round(quantile(latencies, 0.99)), unit: 'ms' },
  ];
}

export default async function bench(): Promise<BenchResult[]> {
  return [
    ...(await oneAtATime(50)),
    ...(await atOnce('1,000 at once, instant steps', instant)),
    ...(await atOnce('1,000 at once, default simulated timings', {})),
  ];
}
