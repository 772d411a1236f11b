// HTTP requests per second through an ALB's address versus straight to the pod's IP, with `wrk` on the host: one
// busybox httpd pod behind a Service and an Ingress of class alb (ip targets), and through an NLB Service too. wrk resolves names with the C
// library, which knows no `*.localhost`, so it connects to the listener address and sends the ALB's address as the
// Host header, as curl and browsers do after resolving it to loopback themselves.
import { execFile } from 'node:child_process';
import type { KubeObject } from '../src/kube/api/types.js';
import { HttpKubeClient } from '../src/kube/client/http.js';
import { until } from '../src/testing/until.js';
import { canRunRealPods, startBusyboxCluster } from './real-cluster.js';
import type { BenchResult } from './run.js';

const image = 'bench.skiff.local/busybox:1';
const seconds = 5;
const rounds = 3;
const connections = 32;
const nlbPort = 8089;
const step = (what: string) => console.error(`  loadbalancers: ${what}`);

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
        },
      ],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'web-nlb',
      namespace: 'default',
      annotations: {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
      },
    },
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: nlbPort, targetPort: 8080 }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'web',
      namespace: 'default',
      annotations: {
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': 'ip',
      },
    },
    spec: {
      ingressClassName: 'alb',
      rules: [
        {
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }],
          },
        },
      ],
    },
  },
];

function wrk(url: string, host?: string): Promise<number> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, ...(host ? ['-H', `Host: ${host}`] : []), url];
  return new Promise((resolve, reject) =>
    execFile('wrk', args, { timeout: (seconds + 30) * 1000 }, (error, stdout) => {
      const rate = stdout.match(/Requests\/sec:\s+([\d.]+)/)?.[1];
      const failed = stdout.match(/Non-2xx or 3xx responses: (\d+)/)?.[1];
      if (error || !rate) reject(new Error(`wrk ${args.join(' ')}: ${error?.message ?? stdout}`));
      else if (failed) reject(new Error(`wrk ${args.join(' ')}: ${failed} failed responses`));
      else resolve(Number(rate));
    }),
  );
}

export default async function bench(): Promise<BenchResult[]> {
  if (!canRunRealPods()) {
    return [{ name: 'loadbalancers', value: -1, unit: 'req/s', note: 'skipped: needs root and containerd' }];
  }
  step('starting skiff up --runtime process, importing busybox');
  const { skiff, w } = await startBusyboxCluster(image);
  try {
    step('a node group, the pod, its Service and an alb Ingress');
    await w.nodegroup('bench', 1);
    const client = HttpKubeClient.fromKubeconfig(skiff.kubeconfig);
    for (const object of objects) await client.create(object);
    const ref = (kind: string, apiVersion: string) => ({ apiVersion, kind, namespace: 'default' });
    const pod = await until(
      async () => {
        const p = await client.get(ref('Pod', 'v1'), 'web');
        return p.status?.phase === 'Running' && p.status.podIP ? p : undefined;
      },
      'the pod to run',
      120_000,
    );
    const address: string = await until(
      async () =>
        (await client.get(ref('Ingress', 'networking.k8s.io/v1'), 'web')).status?.loadBalancer?.ingress?.[0]?.hostname,
      'the Ingress address',
      30_000,
    );
    const direct = `http://${pod.status.podIP}:8080/`;
    await until(async () => (await fetch(direct)).ok, 'the pod to answer', 30_000);
    await until(async () => (await fetch('http://127.0.0.1/', { headers: { host: address } })).ok, 'the ALB', 30_000);
    await until(
      async () => (await fetch(`http://127.0.0.1:${nlbPort}/`).catch(() => undefined))?.ok,
      'the NLB',
      30_000,
    );
    // The three ways in alternate, round after round, and each keeps its median: the host is shared, and a burst of
    // other work should not land on one of them only.
    const runs = { straight: [] as number[], through: [] as number[], nlb: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      step(
        `round ${i + 1}/${rounds}: wrk ${seconds}s × ${connections} connections to ${direct}, the ALB at ${address}, the NLB`,
      );
      runs.straight.push(await wrk(direct));
      runs.through.push(await wrk('http://127.0.0.1/', address));
      runs.nlb.push(await wrk(`http://127.0.0.1:${nlbPort}/`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [straight, through, nlb] = [median(runs.straight), median(runs.through), median(runs.nlb)];
    const note = `median of ${rounds} alternating wrk -t1 -c${connections} -d${seconds}s runs, one busybox httpd pod`;
    return [
      { name: 'loadbalancers: HTTP straight to the pod IP', value: Math.round(straight), unit: 'req/s', note },
      { name: 'loadbalancers: HTTP through the ALB address', value: Math.round(through), unit: 'req/s', note },
      { name: 'loadbalancers: HTTP through the NLB (TCP proxy)', value: Math.round(nlb), unit: 'req/s', note },
      {
        name: 'loadbalancers: ALB / direct',
        value: Math.round((through / straight) * 100),
        unit: '%',
        note: 'goal ≥ 50',
      },
    ];
  } finally {
    await skiff.stop();
  }
}
