// The process runtime on real pods (`skiff up --runtime process`): create → Running of Fargate pods one at a time
// and 50 at once, and the round trip of `exec … -- true` over WebSocket.
import { performance } from 'node:perf_hooks';
import { HttpKubeClient } from '../src/kube/client/http.js';
import { execInPod } from '../src/streams/exec-client.js';
import { until } from '../src/testing/until.js';
import type { SkiffProcess } from '../test/e2e/harness/skiff.js';
import { canRunRealPods, runningWatch, startBusyboxCluster } from './real-cluster.js';
import type { BenchResult } from './run.js';

const image = 'bench.skiff.local/busybox:1';
const namespace = 'bench';

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};
const round = (x: number) => Math.round(x * 10) / 10;
const step = (what: string) => console.error(`  process: ${what}`);

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [
      {
        name: 'app',
        image,
        imagePullPolicy: 'Never',
        command: ['sleep', '3600'],
        resources: { requests: { cpu: '250m', memory: '256Mi' } },
      },
    ],
  },
});

/** One `exec … -- true` over WebSocket v5 (as kubectl 1.30+): the ms until its exit code arrived. */
async function execOnce(skiff: SkiffProcess, pod: string): Promise<number> {
  const start = performance.now();
  const target = { server: skiff.kubeEndpoint, token: skiff.token, ca: skiff.caCert, namespace, pod, container: 'app' };
  const result = await execInPod(target, ['true']);
  if (result.exitCode !== 0) throw new Error(`exec true exited ${result.exitCode}: ${result.stderr}`);
  return performance.now() - start;
}

async function execRoundTrips(skiff: SkiffProcess, podName: string, count: number): Promise<BenchResult[]> {
  try {
    await execOnce(skiff, podName);
    const times: number[] = [];
    for (let i = 0; i < count; i++) times.push(await execOnce(skiff, podName));
    const note = `${count} execs of \`true\` over WebSocket v5 through the kube API and the agent`;
    return [
      { name: 'process: exec round trip p50', value: round(quantile(times, 0.5)), unit: 'ms', note },
      { name: 'process: exec round trip p99', value: round(quantile(times, 0.99)), unit: 'ms' },
    ];
  } catch (error) {
    return [{ name: 'process: exec round trip', value: -1, unit: 'ms', note: `failed: ${(error as Error).message}` }];
  }
}

export default async function bench(): Promise<BenchResult[]> {
  if (!canRunRealPods()) {
    return [{ name: 'process runtime', value: -1, unit: 'ms', note: 'skipped: needs root and containerd' }];
  }
  step('starting skiff up --runtime process, importing busybox');
  const { skiff, w } = await startBusyboxCluster(image);
  try {
    step('creating the Fargate profile');
    await w.fargateProfile('bench', namespace);
    const client = HttpKubeClient.fromKubeconfig(skiff.kubeconfig);
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const watch = await runningWatch(client, namespace);

    step('one pod at a time');
    const one: number[] = [];
    for (let i = 0; i < 16; i++) {
      const name = `one-${i}`;
      const start = performance.now();
      await client.create(pod(name));
      await watch.running(name);
      if (i > 0) one.push(performance.now() - start); // the first also warms the image's snapshot
    }
    step('exec round trips');
    const exec = await execRoundTrips(skiff, 'one-0', 30);

    step('making room: the host offers 8× its CPUs, 16 vCPU here, and each pod is 0.25 vCPU');
    await Promise.all(one.map((_, i) => client.delete({ apiVersion: 'v1', kind: 'Pod', namespace }, `one-${i + 1}`)));
    await until(
      async () => (await client.list({ apiVersion: 'v1', kind: 'Pod', namespace })).items.length === 1,
      'the single pods to go',
      60_000,
    );
    step('50 pods at once');
    const names = Array.from({ length: 50 }, (_, i) => `many-${i}`);
    const createdAt = new Map<string, number>();
    const start = performance.now();
    await Promise.all(
      names.map(async (name) => {
        createdAt.set(name, performance.now());
        await client.create(pod(name));
      }),
    );
    await Promise.all(names.map((name) => watch.running(name)));
    const wall = performance.now() - start;
    const many = names.map((name) => watch.runningAt.get(name)! - createdAt.get(name)!);
    watch.close();
    return [
      {
        name: 'process: one Fargate pod at a time, create → Running p50',
        value: round(quantile(one, 0.5)),
        unit: 'ms',
        note: `${one.length} pods, runc on Skiff's containerd, seen over an HTTPS watch`,
      },
      {
        name: 'process: one Fargate pod at a time, create → Running p99',
        value: round(quantile(one, 0.99)),
        unit: 'ms',
      },
      { name: 'process: 50 Fargate pods at once, create → Running p50', value: round(quantile(many, 0.5)), unit: 'ms' },
      {
        name: 'process: 50 Fargate pods at once, create → Running p99',
        value: round(quantile(many, 0.99)),
        unit: 'ms',
      },
      { name: 'process: 50 Fargate pods at once, all Running', value: round(wall), unit: 'ms' },
      ...exec,
    ];
  } finally {
    await skiff.stop();
  }
}
