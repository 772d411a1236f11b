// How Skiff's cost grows with the pod count: 1,000, 5,000 and 10,000 Fargate pods created at once on the simulated
// runtime with instant steps, in one process (kube API on SQLite, the whole control plane, one agent). For each:
// the time until all are Running (capped; the count reached is said when the cap is hit), time per pod, the
// process's RSS and CPU time, the store watches open at idle, JSON.parse calls per store write (counted by a
// wrapper here) and the most frequent writes by resource. A warm-up round of 1,000 pods in a cluster of its own runs
// first and is reported apart: the sizes are measured with V8's compilers warm, as in a `skiff up` that has run pods
// before, not with the first seconds of a fresh process. (Measured, CPU per pod of a round of 1,000 against the
// third such round in the same process: +35 % after a warm-up of 300 pods, +15–25 % after 1,000; V8 goes on
// optimising for a few thousand pods, so the first measured size is still the least warm.)
// SCALE_SIZES=1000,5000 and SCALE_TIMEOUT_S=120 narrow a run.
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/kube/api/types.js';
import { benchPod, instant, startFargateCluster } from './fargate-cluster.js';
import type { BenchResult } from './run.js';

const sizes = (process.env.SCALE_SIZES ?? '1000,5000,10000').split(',').map(Number);
const timeoutMs = Number(process.env.SCALE_TIMEOUT_S ?? 180) * 1000;
const concurrency = 32;
const round = (x: number) => Math.round(x);
const roundTo = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

let parses = 0;
const realParse = JSON.parse;
JSON.parse = function countedParse(this: unknown, ...args: Parameters<typeof JSON.parse>) {
  parses++;
  return realParse.apply(this, args);
} as typeof JSON.parse;

const pod = (i: number) => benchPod(`sp-${String(i).padStart(5, '0')}`, '250m');

/** The open store watches: the WatchHub's subscribers (the store's own count, read here only). */
function storeWatches(store: object): number {
  return (store as { hub?: { size: number } }).hub?.size ?? Number.NaN;
}

async function atOnce(
  total: number,
  label = `${total.toLocaleString('en')} Fargate pods at once`,
): Promise<BenchResult[]> {
  const cluster = await startFargateCluster(instant);
  const { api, client } = cluster;
  await new Promise((resolve) => setTimeout(resolve, 200));
  const idleWatches = storeWatches(api.store);

  let running = 0;
  let allRunning: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    allRunning = resolve;
  });
  const seen = new Set<string>();
  const watcher = await client.watch({ apiVersion: 'v1', kind: 'Pod', namespace: 'bench' }, {}, (event) => {
    const object = event.object as KubeObject & { status?: { phase?: string } };
    if (object.status?.phase !== 'Running' || seen.has(object.metadata.name!)) return;
    seen.add(object.metadata.name!);
    if (++running === total) allRunning();
  });

  const revisionBefore = await api.store.currentRevision();
  const writesBy = new Map<string, number>();
  const writeCounter = await api.store.watch('/', { afterRevision: revisionBefore }, (event) => {
    const what = `${event.type} ${event.kv.key.split('/').slice(2, 4).join('/')}`;
    writesBy.set(what, (writesBy.get(what) ?? 0) + 1);
  });
  const parsesBefore = parses;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await client.create(pod(next++));
    }),
  );
  const created = performance.now() - start;
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    done.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs - created));
    }),
  ]);
  clearTimeout(timer);
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const writes = (await api.store.currentRevision()) - revisionBefore;
  const parsesPerWrite = (parses - parsesBefore) / Math.max(1, writes);
  const rss = process.memoryUsage().rss / 2 ** 20;
  watcher.close();
  writeCounter.close();
  await cluster.stop();
  const topWrites = [...writesBy]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([what, n]) => `${what} ${n}`)
    .join(', ');

  const reached = finished ? '' : `: TIMED OUT after ${round(elapsed / 1000)} s with ${running} Running`;
  return [
    {
      name: `${label}: all Running`,
      value: round(elapsed),
      unit: 'ms',
      note: `creates took ${round(created)} ms${reached}`,
    },
    {
      name: `${label}: CPU time per pod`,
      value: roundTo(cpuMs / Math.max(1, running), 2),
      unit: 'ms',
      note: 'this process, user + system: less sensitive than wall time to other load on the machine',
    },
    { name: `${label}: time per pod`, value: roundTo(elapsed / Math.max(1, running), 2), unit: 'ms' },
    { name: `${label}: RSS (API, control plane, agent in one process)`, value: round(rss), unit: 'MiB' },
    { name: `${label}: store watches at idle`, value: idleWatches, unit: 'watches' },
    {
      name: `${label}: JSON.parse calls per store write`,
      value: roundTo(parsesPerWrite, 1),
      unit: 'calls',
      note: `${writes} writes: ${topWrites}`,
    },
  ];
}

export default async function bench(): Promise<BenchResult[]> {
  const [warmUp] = await atOnce(1000, 'warm-up: 1,000 Fargate pods at once, the first in this process');
  const results: BenchResult[] = [warmUp];
  for (const total of sizes) {
    results.push(...(await atOnce(total)));
  }
  return results;
}
