// Seed 002's node group → Fargate move with cluster DNS answering throughout (`skiff up --runtime process`, real
// kubectl and aws CLI): coredns runs on the node group and answers a node-group pod; the kube-system profile, the
// annotation's removal and `rollout restart` move it to Fargate nodes while that pod keeps asking every half
// second; then, with the app's profile, a Fargate pod gets its answers after the node group is deleted.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { coreDnsToFargate, running, type Walkthrough, walkthrough } from './harness/cluster.js';
import { createSeed002Profile, seed002Cluster } from './harness/seed002.js';
import { type SkiffProcess, startSkiff } from './harness/skiff.js';

const canRun =
  process.getuid?.() === 0 && existsSync('/usr/bin/containerd') && existsSync('/usr/sbin/iptables-restore');
const image = 'import.skiff.local/e2e/busybox:1';
const CLUSTER = seed002Cluster;
const name = 'kubernetes.default.svc.cluster.local';

const client = (namespace: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'client', namespace },
  spec: {
    containers: [{ name: 'main', image, imagePullPolicy: 'Never', command: ['sleep', '100000'] }],
    terminationGracePeriodSeconds: 0,
  },
});

describe('seed 002: DNS answers before, during and after CoreDNS moves to Fargate', {
  skip: !canRun && 'needs root and containerd',
}, () => {
  let skiff: SkiffProcess;
  let w: Walkthrough;
  const kubectl = async (args: string[], input?: string) => {
    const out = await skiff.kubectl(args, input);
    assert.equal(out.code, 0, `kubectl ${args.join(' ')}: ${out.stderr}`);
    return out.stdout;
  };
  const answers = async (namespace: string) => {
    const out = await skiff.kubectl(['exec', '-n', namespace, 'client', '--', 'nslookup', name]);
    return /Address: 10\.100\.0\.1$/m.test(out.stdout);
  };
  const ready = (pod: any) => pod.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
  const readyCoreDns = async (prefix: string) => {
    const pods = (await w.pods('kube-system', 'k8s-app=kube-dns')).filter((p) => !p.metadata.deletionTimestamp);
    return pods.length === 2 && pods.every((p) => ready(p) && p.spec.nodeName.startsWith(prefix)) ? pods : undefined;
  };

  before(async () => {
    skiff = await startSkiff(['--name', CLUSTER, '--runtime', 'process']);
    writeBusyboxImage(join(skiff.dataDir, 'busybox-layout'), image, 'migration');
    await skiff.importImage(join(skiff.dataDir, 'busybox-layout'));
    w = await walkthrough(skiff);
    const ng = await w.skiff('create', 'nodegroup', '--cluster', CLUSTER, '--name', 'ng-old', '--nodes', '1');
    assert.equal(ng.code, 0, ng.stderr);
  });
  after(async () => {
    await skiff?.stop();
  });

  it('answers from coredns on the node group', async () => {
    await w.waitFor(() => readyCoreDns('ip-'), 'coredns ready on the node group', 120_000);
    await kubectl(['apply', '-f', '-'], JSON.stringify(client('default')));
    await w.waitFor(async () => running(await w.pods('default')).length === 1, 'the node-group client', 60_000);
    assert.ok(await answers('default'));
  });

  it('keeps answering while coredns moves onto Fargate', async () => {
    await createSeed002Profile(w, 'ops-kube-system', 'kube-system');
    const loop =
      'i=0; while [ $i -lt 60 ]; do nslookup ' +
      name +
      ' >/dev/null 2>&1 && echo ok || echo fail; i=$((i+1)); sleep 0.5; done';
    const asking = skiff.kubectl(['exec', 'client', '--', 'sh', '-c', loop]);
    await kubectl(coreDnsToFargate);
    await kubectl(['rollout', 'restart', 'deployment/coredns', '-n', 'kube-system']);
    await kubectl(['rollout', 'status', 'deployment/coredns', '-n', 'kube-system', '--timeout=180s']);
    const pods = await w.waitFor(() => readyCoreDns('fargate-ip-'), 'coredns ready on Fargate', 120_000);
    for (const p of pods) assert.equal(p.metadata.labels['eks.amazonaws.com/fargate-profile'], 'ops-kube-system');
    const results = (await asking).stdout.trim().split('\n');
    assert.equal(results.length, 60);
    assert.deepEqual(
      results.filter((r) => r !== 'ok'),
      [],
      `answers during the move: ${results.join(' ')}`,
    );
  });

  it('answers a Fargate pod once the node group is gone', async () => {
    await createSeed002Profile(w, 'app-ns-app', 'app');
    await kubectl(['create', 'namespace', 'app']);
    await kubectl(['apply', '-f', '-'], JSON.stringify(client('app')));
    await w.waitFor(async () => running(await w.pods('app')).length === 1, 'the Fargate client', 120_000);
    const deleted = await w.skiff('delete', 'nodegroup', '--cluster', CLUSTER, '--name', 'ng-old', '--wait');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.ok((await w.nodes()).every((n) => n.metadata.name.startsWith('fargate-ip-')));
    assert.ok(await answers('app'));
  });
});
