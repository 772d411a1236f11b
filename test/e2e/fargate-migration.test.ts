// Seed 002: moving a node-group cluster to Fargate with the real aws CLI and kubectl. The coredns pods Skiff creates
// in kube-system (opted out with eks.amazonaws.com/compute-type: ec2) and an app run on a node group; profiles for kube-system
// and app are created; removing the annotation and `rollout restart` move the pods to Fargate nodes; then the
// node group is deleted and only Fargate nodes remain.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { coreDnsToFargate, fixtures, running, type Walkthrough, walkthrough } from './harness/cluster.js';
import { createSeed002Profile, seed002Cluster } from './harness/seed002.js';
import { type SkiffProcess, startSkiff } from './harness/skiff.js';

const CLUSTER = seed002Cluster;
let cluster: SkiffProcess;
let w: Walkthrough;
before(async () => {
  cluster = await startSkiff(['--name', CLUSTER, '--runtime', 'simulated']);
  w = await walkthrough(cluster);
});
after(async () => {
  await cluster?.stop();
});

const onNodes = (pods: any[], prefix: string) => pods.every((p) => p.spec.nodeName?.startsWith(prefix));

async function expectRunningOn(namespace: string, selector: string, count: number, prefix: string) {
  return w.waitFor(async () => {
    const pods = (await w.pods(namespace, selector)).filter((p) => !p.metadata.deletionTimestamp);
    return pods.length === count && running(pods).length === count && onNodes(pods, prefix) ? pods : undefined;
  }, `${count} ${selector} pods running on ${prefix}… nodes`);
}

test('seed 002: node group → Fargate for kube-system and app, then the node group goes', async () => {
  const ng = await w.skiff('create', 'nodegroup', '--cluster', CLUSTER, '--name', 'ng-old', '--nodes', '2');
  assert.equal(ng.code, 0, ng.stderr);
  const applied = await cluster.kubectl(['apply', '-f', fixtures('seed002-before.yaml')]);
  assert.equal(applied.code, 0, applied.stderr);
  await expectRunningOn('kube-system', 'k8s-app=kube-dns', 2, 'ip-');
  await expectRunningOn('app', 'app=nginx', 2, 'ip-');

  await createSeed002Profile(w, 'ops-kube-system', 'kube-system');
  const patched = await cluster.kubectl(coreDnsToFargate);
  assert.equal(patched.code, 0, patched.stderr);
  const dns = await expectRunningOn('kube-system', 'k8s-app=kube-dns', 2, 'fargate-ip-');
  for (const p of dns) assert.equal(p.metadata.labels['eks.amazonaws.com/fargate-profile'], 'ops-kube-system');

  await createSeed002Profile(w, 'app-ns-app', 'app');
  const stillThere = await w.pods('app', 'app=nginx');
  assert.ok(onNodes(stillThere, 'ip-'), 'a new profile does not move running pods');
  const restarted = await cluster.kubectl(['rollout', 'restart', 'deployment/nginx', '-n', 'app']);
  assert.equal(restarted.code, 0, restarted.stderr);
  const status = await cluster.kubectl(['rollout', 'status', 'deployment/nginx', '-n', 'app', '--timeout=60s']);
  assert.equal(status.code, 0, status.stderr);
  await expectRunningOn('app', 'app=nginx', 2, 'fargate-ip-');

  const deleted = await w.skiff('delete', 'nodegroup', '--cluster', CLUSTER, '--name', 'ng-old', '--wait');
  assert.equal(deleted.code, 0, deleted.stderr);
  await w.waitFor(async () => (await w.nodes('eks.amazonaws.com/nodegroup=ng-old')).length === 0, 'ng-old nodes gone');
  const nodes = await w.nodes();
  assert.equal(nodes.length, 4);
  assert.ok(nodes.every((n) => n.metadata.name.startsWith('fargate-ip-')));
  await expectRunningOn('app', 'app=nginx', 2, 'fargate-ip-');
  await expectRunningOn('kube-system', 'k8s-app=kube-dns', 2, 'fargate-ip-');
});
