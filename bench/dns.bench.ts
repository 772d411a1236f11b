// Cluster DNS latency from a pod: on a real `skiff up --runtime process` with a node group, a pod of the coredns
// image (it carries node) sends 1000 UDP A queries one after another for a Service's FQDN to the kube-dns Service
// address (10.100.0.10, DNATed to the two coredns pods) and times each answer; p50 and p99 in milliseconds.
import type { KubeObject } from '../src/kube/api/types.js';
import { HttpKubeClient } from '../src/kube/client/http.js';
import { canRunRealPods, startBusyboxCluster } from './real-cluster.js';
import type { BenchResult } from './run.js';

const image = 'bench.skiff.local/busybox:1';
const coreDnsImage = '602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/coredns:v1.11.4-eksbuild.2';
const queries = 1000;
const step = (what: string) => console.error(`  dns: ${what}`);

const objects: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'asker', namespace: 'default' },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [
        { name: 'main', image: coreDnsImage, command: ['/usr/bin/node', '-e', 'setInterval(() => {}, 1e9)'] },
      ],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  },
];

/** Runs in the pod: sequential A queries (a hand-built DNS packet over UDP), each timed; prints the sorted times. */
const askScript = (name: string, count: number) => `
const dgram = require('node:dgram');
const qname = Buffer.concat(${JSON.stringify(name)}.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])).concat([Buffer.from([0])]));
const socket = dgram.createSocket('udp4');
const times = [];
let pending;
socket.on('message', (m) => { if (pending && m.readUInt16BE(0) === pending.id && (m.readUInt16BE(2) & 0xf) === 0) pending.done(); });
const ask = (id) => new Promise((resolve, reject) => {
  const header = Buffer.alloc(12); header.writeUInt16BE(id, 0); header.writeUInt16BE(0x0100, 2); header.writeUInt16BE(1, 4);
  const started = process.hrtime.bigint();
  const timer = setTimeout(() => reject(new Error('timeout')), 2000);
  pending = { id, done: () => { clearTimeout(timer); times.push(Number(process.hrtime.bigint() - started) / 1e6); resolve(); } };
  socket.send(Buffer.concat([header, qname, Buffer.from([0, 1, 0, 1])]), 53, '10.100.0.10');
});
(async () => { for (let i = 0; i < ${count}; i++) await ask((i % 65535) + 1); socket.close(); console.log(JSON.stringify(times.sort((a, b) => a - b))); })()
  .catch((e) => { console.error(e.message); process.exit(1); });
`;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
const round = (x: number) => Math.round(x * 100) / 100;

export default async function bench(): Promise<BenchResult[]> {
  if (!canRunRealPods()) return [{ name: 'dns', value: -1, unit: 'ms', note: 'skipped: needs root and containerd' }];
  step('starting skiff up --runtime process');
  const { skiff, w } = await startBusyboxCluster(image);
  try {
    step('a node group, coredns ready, the asking pod');
    await w.nodegroup('bench', 1);
    const client = HttpKubeClient.fromKubeconfig(skiff.kubeconfig);
    for (const object of objects) await client.create(object);
    const ready = (p: any) => p.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
    await w.waitFor(
      async () => (await w.pods('kube-system', 'k8s-app=kube-dns')).filter(ready).length === 2,
      'coredns ready',
      180_000,
    );
    await w.waitFor(async () => (await w.pods('default')).some(ready), 'the asking pod', 120_000);
    step(`${queries} queries`);
    const out = await skiff.kubectl([
      'exec',
      'asker',
      '--',
      '/usr/bin/node',
      '-e',
      askScript('web.default.svc.cluster.local', queries),
    ]);
    if (out.code !== 0) throw new Error(`the queries failed: ${out.stderr}`);
    const times = JSON.parse(out.stdout) as number[];
    const note = `${queries} sequential UDP A queries for web.default.svc.cluster.local from a pod to 10.100.0.10 (2 coredns pods)`;
    return [
      { name: 'dns: query from a pod p50', value: round(quantile(times, 0.5)), unit: 'ms', note },
      { name: 'dns: query from a pod p99', value: round(quantile(times, 0.99)), unit: 'ms', note },
    ];
  } finally {
    await skiff.stop();
  }
}
