// The embedded kube API over HTTPS with the sqlite store: pod creates/s (concurrency 16, keep-alive), list latency
// of 10,000 pods (JSON and kubectl's Table), watch fan-out latency to 100 HTTPS watchers, and RSS with 10k pods.
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { inProcessClient } from '../src/kube/index.js';
import { startTestApi } from '../src/kube/testing/api.js';
import type { BenchResult } from './run.js';

const totalPods = 10_000;
const httpsPods = 2_000;
const concurrency = 16;
const watchers = 100;
const writes = 200;
const podsPath = '/api/v1/namespaces/default/pods';
const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

const podName = (i: number) => `bench-${String(i).padStart(5, '0')}`;
const pod = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: podName(i), namespace: 'default', labels: { app: 'bench' } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
});

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

interface Api {
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: string }>;
  watch(path: string, onLine: (line: string) => void): Promise<() => void>;
}

function httpsApi(url: string, ca: string, token: string, agent: Agent): Api {
  const { hostname, port } = new URL(url);
  const options = (method: string, path: string, headers: Record<string, string>) => ({
    hostname,
    port,
    path,
    method,
    ca,
    agent,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...headers },
  });
  return {
    call: (method, path, body, headers = {}) =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const contentType = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
        const req = request(
          options(method, path, payload ? { 'Content-Type': contentType, ...headers } : headers),
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      }),
    watch: (path, onLine) =>
      new Promise((resolve, reject) => {
        const req = request(options('GET', path, {}), (res) => {
          if (res.statusCode !== 200) return reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
          let buffered = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffered += chunk;
            let newline = buffered.indexOf('\n');
            while (newline >= 0) {
              onLine(buffered.slice(0, newline));
              buffered = buffered.slice(newline + 1);
              newline = buffered.indexOf('\n');
            }
          });
          res.on('error', () => {});
          resolve(() => req.destroy());
        });
        req.on('error', reject);
        req.end();
      }),
  };
}

function expectStatus(what: string, got: { status: number; body: string }, want: number): void {
  if (got.status !== want) throw new Error(`${what}: HTTP ${got.status}: ${got.body.slice(0, 300)}`);
}

async function createOverHttps(api: Api): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < httpsPods) {
      const i = next++;
      expectStatus(`create ${podName(i)}`, await api.call('POST', podsPath, pod(i)), 201);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return httpsPods / ((performance.now() - start) / 1000);
}

async function listTimes(
  api: Api,
  runs: number,
  headers: Record<string, string>,
): Promise<{ times: number[]; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const got = await api.call('GET', podsPath, undefined, headers);
    times.push(performance.now() - start);
    expectStatus('list', got, 200);
    const list = JSON.parse(got.body);
    const count = (list.items ?? list.rows).length;
    if (count !== totalPods) throw new Error(`list returned ${count} ${list.kind} entries, not ${totalPods}`);
    bytes = got.body.length;
  }
  return { times, bytes };
}

/** Counts each resourceVersion's arrivals across all watchers and notes when the last watcher has it. */
class Arrivals {
  private counts = new Map<string, number>();
  private complete = new Map<string, number>();
  private waiters = new Map<string, () => void>();

  constructor(private readonly watchers: number) {}

  readonly onLine = (line: string) => {
    const rv: string | undefined = JSON.parse(line).object?.metadata?.resourceVersion;
    if (!rv) return;
    const count = (this.counts.get(rv) ?? 0) + 1;
    this.counts.set(rv, count);
    if (count < this.watchers) return;
    this.complete.set(rv, performance.now());
    this.waiters.get(rv)?.();
  };

  /** When the last watcher got rv (it may already have, before the write's ack reached us). */
  async lastArrival(rv: string): Promise<number> {
    if (!this.complete.has(rv)) await new Promise<void>((resolve) => this.waiters.set(rv, resolve));
    const at = this.complete.get(rv)!;
    this.counts.delete(rv);
    this.complete.delete(rv);
    this.waiters.delete(rv);
    return at;
  }
}

/** Each write's ack (its response) → the moment the last of the watchers has read the event it caused. */
async function watchFanOut(api: Api): Promise<{ afterAck: number[]; afterSend: number[] }> {
  const list = await api.call('GET', `${podsPath}?limit=1`);
  expectStatus('list for watch', list, 200);
  const rv: string = JSON.parse(list.body).metadata.resourceVersion;
  const arrivals = new Arrivals(watchers);
  const stops: Array<() => void> = [];
  const afterAck: number[] = [];
  const afterSend: number[] = [];
  try {
    for (let w = 0; w < watchers; w++)
      stops.push(await api.watch(`${podsPath}?watch=true&resourceVersion=${rv}`, arrivals.onLine));
    for (let i = 0; i < writes; i++) {
      const patch = { metadata: { labels: { app: 'bench', write: String(i) } } };
      const sent = performance.now();
      const got = await api.call('PATCH', `${podsPath}/${podName(i % totalPods)}`, patch);
      const acked = performance.now();
      expectStatus('patch', got, 200);
      const last = await arrivals.lastArrival(JSON.parse(got.body).metadata.resourceVersion);
      afterAck.push(Math.max(0, last - acked));
      afterSend.push(last - sent);
    }
  } finally {
    for (const stop of stops) stop();
  }
  return { afterAck, afterSend };
}

export default async function (): Promise<BenchResult[]> {
  const testApi = await startTestApi({ store: 'sqlite' });
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  try {
    const ctx = testApi.ctx;
    const api = httpsApi(testApi.server.url, testApi.caCert, testApi.token, agent);
    const results: BenchResult[] = [];

    const createRate = await createOverHttps(api);
    results.push({
      name: 'https pod creates',
      value: Math.round(createRate),
      unit: 'ops/s',
      note: `${httpsPods} pods, concurrency ${concurrency}, keep-alive`,
    });

    const client = inProcessClient(ctx);
    for (let i = httpsPods; i < totalPods; i++) await client.create(pod(i));
    const rss = process.memoryUsage().rss;

    await api.call('GET', podsPath); // warm up
    for (const [label, headers] of [
      ['json', {}],
      ['table', { Accept: tableAccept }],
    ] as const) {
      const { times, bytes } = await listTimes(api, 10, headers);
      const note = `${totalPods} pods, ${round(bytes / 2 ** 20)} MiB, 10 lists; min ${round(Math.min(...times))} ms`;
      results.push({
        name: `https list 10k pods (${label}) p50`,
        value: round(quantile(times, 0.5)),
        unit: 'ms',
        note,
      });
      results.push({
        name: `https list 10k pods (${label}) p99`,
        value: round(quantile(times, 0.99)),
        unit: 'ms',
        note: 'of 10 samples: the slowest',
      });
    }

    const { afterAck, afterSend } = await watchFanOut(api);
    const note = `${writes} PATCHes over HTTPS, ${watchers} HTTPS watch streams`;
    results.push({
      name: 'https watch fan-out (ack → 100th watcher) p50',
      value: round(quantile(afterAck, 0.5), 2),
      unit: 'ms',
      note,
    });
    results.push({
      name: 'https watch fan-out (ack → 100th watcher) p99',
      value: round(quantile(afterAck, 0.99), 2),
      unit: 'ms',
    });
    results.push({
      name: 'https watch fan-out (send → 100th watcher) p50',
      value: round(quantile(afterSend, 0.5), 2),
      unit: 'ms',
      note: 'from the PATCH being sent',
    });
    results.push({
      name: 'https watch fan-out (send → 100th watcher) p99',
      value: round(quantile(afterSend, 0.99), 2),
      unit: 'ms',
    });

    results.push({
      name: 'server RSS with 10k pods',
      value: round(rss / 2 ** 20),
      unit: 'MiB',
      note: 'in-process: server, sqlite and the bench client',
    });
    return results;
  } finally {
    agent.destroy();
    await testApi.close();
  }
}
