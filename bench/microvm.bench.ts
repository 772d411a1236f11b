// The micro-VM runtime (`skiff up --runtime microvm`, TCG on this machine kind): create → Running of Fargate pods,
// one at a time and N at once (SKIFF_BENCH_MICROVM_N, 50 by default), each pod its own QEMU micro-VM of its
// provisioned size (0.25 vCPU, 0.5 GB here), and the resident memory of an idle VM (QEMU's RSS and PSS, averaged).
// The process runtime's numbers for the same pods are process.bench.ts's.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ensureGuestInitramfs } from '../src/agent/microvm/guest/build.js';
import { ensureGuestKernel } from '../src/agent/microvm/kernel/build.js';
import { HttpKubeClient } from '../src/kube/client/http.js';
import { until } from '../src/testing/until.js';
import { canRunRealPods, runningWatch, startBusyboxCluster } from './real-cluster.js';
import type { BenchResult } from './run.js';

const image = 'bench.skiff.local/busybox:1';
const namespace = 'bench';
const many = Number(process.env.SKIFF_BENCH_MICROVM_N ?? 50);

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};
const round = (x: number) => Math.round(x * 10) / 10;
const step = (what: string) => console.error(`  microvm: ${what}`);

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'app', image, imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
  },
});

/** kB of a /proc/<pid>/status or smaps_rollup field. */
function procKb(pid: number, file: string, field: string): number {
  try {
    const text = readFileSync(`/proc/${pid}/${file}`, 'utf8');
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function vmPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('skiff-pod-');
      } catch {
        return false;
      }
    });
}

export default async function bench(): Promise<BenchResult[]> {
  if (!canRunRealPods()) {
    return [{ name: 'microvm runtime', value: -1, unit: 'ms', note: 'skipped: needs root and containerd' }];
  }
  step('building or finding the guest kernel and init');
  await ensureGuestKernel((line) => console.error(line));
  await ensureGuestInitramfs();
  step('starting skiff up --runtime microvm, importing busybox');
  const { skiff, w } = await startBusyboxCluster(image, 'microvm');
  try {
    await w.fargateProfile('bench', namespace);
    const client = HttpKubeClient.fromKubeconfig(skiff.kubeconfig);
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const watch = await runningWatch(client, namespace);
    const deleteAll = async () => {
      const pods = (await client.list({ apiVersion: 'v1', kind: 'Pod', namespace })).items;
      await Promise.all(pods.map((p) => client.delete({ apiVersion: 'v1', kind: 'Pod', namespace }, p.metadata.name!)));
      await until(
        async () =>
          (await client.list({ apiVersion: 'v1', kind: 'Pod', namespace })).items.length === 0 && vmPids().length === 0,
        'the pods and their VMs to go',
        180_000,
      );
    };

    step('one pod at a time');
    const one: number[] = [];
    for (let i = 0; i < 6; i++) {
      const name = `one-${i}`;
      const start = performance.now();
      await client.create(pod(name));
      await watch.running(name);
      if (i > 0) one.push(performance.now() - start); // the first also warms the image's snapshot
    }
    step('idle memory of the VMs');
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const pids = vmPids();
    const rss = pids.reduce((sum, pid) => sum + procKb(pid, 'status', 'VmRSS'), 0) / pids.length / 1024;
    const pss = pids.reduce((sum, pid) => sum + procKb(pid, 'smaps_rollup', 'Pss'), 0) / pids.length / 1024;
    await deleteAll();

    step(`${many} pods at once`);
    const names = Array.from({ length: many }, (_, i) => `many-${i}`);
    const createdAt = new Map<string, number>();
    const start = performance.now();
    await Promise.all(
      names.map(async (name) => {
        createdAt.set(name, performance.now());
        await client.create(pod(name));
      }),
    );
    await until(async () => names.every((name) => watch.runningAt.has(name)), `${many} pods Running`, 600_000);
    const wall = performance.now() - start;
    const times = names.map((name) => watch.runningAt.get(name)! - createdAt.get(name)!);
    watch.close();
    await deleteAll();
    const note = 'QEMU -M microvm under TCG, 0.25 vCPU / 0.5 GB each, seen over an HTTPS watch';
    return [
      {
        name: 'microvm: one Fargate pod at a time, create → Running p50',
        value: round(quantile(one, 0.5)),
        unit: 'ms',
        note,
      },
      {
        name: 'microvm: one Fargate pod at a time, create → Running p99',
        value: round(quantile(one, 0.99)),
        unit: 'ms',
      },
      {
        name: `microvm: ${many} Fargate pods at once, create → Running p50`,
        value: round(quantile(times, 0.5)),
        unit: 'ms',
      },
      {
        name: `microvm: ${many} Fargate pods at once, create → Running p99`,
        value: round(quantile(times, 0.99)),
        unit: 'ms',
      },
      { name: `microvm: ${many} Fargate pods at once, all Running`, value: round(wall), unit: 'ms' },
      {
        name: 'microvm: idle VM resident memory (QEMU RSS)',
        value: round(rss),
        unit: 'MiB',
        note: `mean of ${pids.length}`,
      },
      { name: 'microvm: idle VM proportional memory (QEMU PSS)', value: round(pss), unit: 'MiB' },
    ];
  } finally {
    await skiff.stop();
  }
}
