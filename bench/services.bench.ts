// Services on real pods: how long after an endpoint turns ready (or unready) traffic through the ClusterIP follows.
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/kube/api/types.js';
import { HttpKubeClient } from '../src/kube/client/http.js';
import { execInPod } from '../src/streams/exec-client.js';
import { until } from '../src/testing/until.js';
import { internalIp } from '../test/e2e/harness/cluster.js';
import type { SkiffProcess } from '../test/e2e/harness/skiff.js';
import { canRunRealPods, startBusyboxCluster } from './real-cluster.js';
import type { BenchResult } from './run.js';

const image = 'bench.skiff.local/busybox:1';
const rounds = 12;

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};
const round = (x: number) => Math.round(x * 10) / 10;
const step = (what: string) => console.error(`  services: ${what}`);

const objects: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: 'web',
          image,
          imagePullPolicy: 'Never',
          command: ['sh', '-c', 'mkdir -p /www; hostname > /www/index.html; exec busybox httpd -f -p 8080 -h /www'],
          readinessProbe: { exec: { command: ['test', '-e', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
        },
      ],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  },
];

/** Resolves when the watched pod's Ready condition first reads `want`, with the time it was seen. */
function readyWatch(client: HttpKubeClient) {
  let ready: boolean | undefined;
  let waiter: { want: boolean; resolve: (at: number) => void } | undefined;
  const started = client.watch({ apiVersion: 'v1', kind: 'Pod', namespace: 'default' }, {}, (event) => {
    const pod = event.object as KubeObject;
    if (pod.metadata.name !== 'web') return;
    ready = pod.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
    if (waiter && waiter.want === ready) {
      waiter.resolve(performance.now());
      waiter = undefined;
    }
  });
  return {
    until: (want: boolean) =>
      new Promise<number>((resolve) => {
        if (ready === want) resolve(performance.now());
        else waiter = { want, resolve };
      }),
    close: async () => (await started).close(),
  };
}

async function answered(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(250) });
    await res.text();
    return res.ok;
  } catch {
    return false;
  }
}

async function execIn(skiff: SkiffProcess, script: string): Promise<void> {
  const target = { server: skiff.kubeEndpoint, token: skiff.token, ca: skiff.caCert, namespace: 'default', pod: 'web' };
  const result = await execInPod({ ...target, container: 'web' }, ['sh', '-c', script]);
  if (result.exitCode !== 0) throw new Error(`exec ${script}: exit ${result.exitCode} ${result.stderr}`);
}

export default async function bench(): Promise<BenchResult[]> {
  if (!canRunRealPods()) {
    return [{ name: 'services', value: -1, unit: 'ms', note: 'skipped: needs root and containerd' }];
  }
  step('starting skiff up --runtime process, importing busybox');
  const { skiff, w } = await startBusyboxCluster(image);
  try {
    step('a node group, the pod and its NodePort Service');
    await w.nodegroup('bench', 1);
    const client = HttpKubeClient.fromKubeconfig(skiff.kubeconfig);
    for (const object of objects) await client.create(object);
    const service = await client.get({ apiVersion: 'v1', kind: 'Service', namespace: 'default' }, 'web');
    const node = (await w.nodes('eks.amazonaws.com/nodegroup=bench'))[0];
    const url = `http://${internalIp(node)}:${service.spec.ports[0].nodePort}/`;
    const watch = readyWatch(client);
    await until(
      async () =>
        (await client.get({ apiVersion: 'v1', kind: 'Pod', namespace: 'default' }, 'web')).status?.phase === 'Running',
      'the pod to run',
      120_000,
    );
    const latencies: number[] = [];
    for (let i = 0; i < rounds; i++) {
      await execIn(skiff, 'rm -f /tmp/ready');
      await watch.until(false);
      await until(async () => !(await answered(url)), 'the unready pod to stop getting traffic', 10_000);
      await execIn(skiff, 'touch /tmp/ready');
      const readyAt = await watch.until(true);
      await until(() => answered(url), 'traffic to the ready pod', 10_000);
      latencies.push(performance.now() - readyAt);
    }
    await watch.close();
    const note = `${rounds} rounds: pod seen Ready over a watch → a GET from the host to the NodePort answered`;
    return [
      { name: 'services: endpoint ready → traffic p50', value: round(quantile(latencies, 0.5)), unit: 'ms', note },
      { name: 'services: endpoint ready → traffic p99', value: round(quantile(latencies, 0.99)), unit: 'ms', note },
    ];
  } finally {
    await skiff.stop();
  }
}
