// Store benchmarks: SQLite creates/s of 10,000 ~1 KB pod-like values, list of 10,000 keys (current and pinned),
// get latency, fan-out latency of one write to 100 watchers, compaction time, and memory creates/s to compare.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MemoryBackend } from '../src/store/memory.js';
import { SqliteBackend } from '../src/store/sqlite.js';
import type { Backend } from '../src/store/types.js';
import type { BenchResult } from './run.js';

const pods = 10_000;
const prefix = '/registry/pods/default/';

function podJson(i: number): string {
  const name = `web-7d4b9c6f5-${i.toString(36).padStart(5, '0')}`;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `3f1c${i.toString(16).padStart(8, '0')}-1e2d-4c5b-9a8f-0123456789ab`,
      labels: { app: 'web', 'pod-template-hash': '7d4b9c6f5', 'eks.amazonaws.com/fargate-profile': 'fp-default' },
      annotations: { CapacityProvisioned: '0.25vCPU 0.5GB', Logging: 'LoggingDisabled: LOGGING_CONFIGMAP_NOT_FOUND' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c6f5', controller: true }],
    },
    spec: {
      schedulerName: 'fargate-scheduler',
      nodeName: `fargate-ip-10-0-${(i >> 8) & 255}-${i & 255}.ap-northeast-2.compute.internal`,
      containers: [
        {
          name: 'web',
          image: 'public.ecr.aws/nginx/nginx:1.27',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
        },
      ],
      tolerations: [
        { key: 'eks.amazonaws.com/compute-type', operator: 'Equal', value: 'fargate', effect: 'NoSchedule' },
      ],
    },
    status: { phase: 'Running', podIP: `10.0.${(i >> 8) & 255}.${i & 255}`, qosClass: 'Burstable' },
  });
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

async function createsPerSecond(store: Backend): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < pods; i++) await store.create(`${prefix}pod-${String(i).padStart(5, '0')}`, podJson(i));
  return Math.round(pods / ((performance.now() - start) / 1000));
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

async function watchFanOut(store: Backend, watchers: number, writes: number): Promise<number[]> {
  let started = 0;
  let seen = 0;
  const latencies: number[] = [];
  const from = await store.currentRevision();
  const watches = [];
  for (let w = 0; w < watchers; w++) {
    watches.push(
      await store.watch(prefix, { afterRevision: from }, () => {
        if (++seen === watchers) latencies.push(performance.now() - started);
      }),
    );
  }
  for (let i = 0; i < writes; i++) {
    seen = 0;
    started = performance.now();
    await store.update(`${prefix}pod-${String(i % pods).padStart(5, '0')}`, podJson(i));
  }
  for (const w of watches) w.close();
  return latencies;
}

export default async function (): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-store-bench-'));
  const results: BenchResult[] = [];
  const sqlite = SqliteBackend.open(dir);
  try {
    const note = `${pods} pods, ${podJson(0).length} B each`;
    results.push({ name: 'sqlite creates', value: await createsPerSecond(sqlite), unit: 'ops/s', note });

    await sqlite.list(prefix); // warm the page cache
    const list = await timed(11, () => sqlite.list(prefix));
    results.push({
      name: 'sqlite list 10k (current)',
      value: round(median(list), 1),
      unit: 'ms',
      note: `median of 11; min ${round(Math.min(...list), 1)} ms`,
    });
    const pinned = await sqlite.currentRevision();
    for (let i = 0; i < 1000; i++) await sqlite.update(`${prefix}pod-${String(i * 7).padStart(5, '0')}`, podJson(i));
    const old = await timed(5, () => sqlite.list(prefix, { revision: pinned }));
    results.push({
      name: 'sqlite list 10k (pinned, older)',
      value: round(median(old), 1),
      unit: 'ms',
      note: 'median of 5, after 1000 updates',
    });
    const paged = await timed(3, async () => {
      let page = await sqlite.list(prefix, { revision: pinned, limit: 500 });
      while (page.more)
        page = await sqlite.list(prefix, { revision: pinned, limit: 500, startAfter: page.items.at(-1)!.key });
    });
    results.push({
      name: 'sqlite paged list 10k (limit 500, pinned)',
      value: round(median(paged), 1),
      unit: 'ms',
      note: 'all 20 pages',
    });

    const gets = await timed(5000, () =>
      sqlite.get(`${prefix}pod-${String(Math.floor(Math.random() * pods)).padStart(5, '0')}`),
    );
    results.push({
      name: 'sqlite get',
      value: round(median(gets) * 1000, 1),
      unit: 'µs',
      note: `p50; p99 ${round(quantile(gets, 0.99) * 1000, 1)} µs`,
    });

    const fanOut = await watchFanOut(sqlite, 100, 500);
    results.push({
      name: 'sqlite watch fan-out to 100 watchers p50',
      value: round(median(fanOut)),
      unit: 'ms',
      note: 'write call → 100th callback, 500 updates',
    });
    results.push({
      name: 'sqlite watch fan-out to 100 watchers p99',
      value: round(quantile(fanOut, 0.99)),
      unit: 'ms',
    });

    const compactStart = performance.now();
    await sqlite.compact(await sqlite.currentRevision());
    results.push({
      name: 'sqlite compact',
      value: round(performance.now() - compactStart, 1),
      unit: 'ms',
      note: '11,500 log rows → 10,000',
    });
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const memory = new MemoryBackend();
  results.push({ name: 'memory creates', value: await createsPerSecond(memory), unit: 'ops/s' });
  await memory.close();
  return results;
}
