// The node lifecycle controller against the real in-process API with a fake clock, the test acting as the kubelets
// (node status, node Leases) and host agents (host Leases): never-posted and stopped nodes turn Unknown with kube's
// reasons, get the unreachable taints and their pods marked not Ready, the taint manager evicts after
// tolerationSeconds, heartbeats coming back clear it all, a fully disrupted cluster is not tainted NoExecute, and a
// Fargate node whose host is gone is deleted and its pod collected by pod GC.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { createPod, setPodRunning } from '../endpoints/testing.js';
import { NodeLifecycleController } from './controller.js';

let api: TestApi;
let client: KubeClient;
let controller: NodeLifecycleController;
let clock = Date.now();
const errors: unknown[] = [];
const nodeRef = { apiVersion: 'v1', kind: 'Node' };
const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: 'default' };
const leaseRef = (namespace: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace });
const micro = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');
const time = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  controller = new NodeLifecycleController(client, {
    now: () => new Date(clock),
    onError: (error) => errors.push(error),
    orphanQuarantineMs: 1000,
  });
  await controller.start();
  await node('steady', true);
});
after(async () => {
  controller.stop();
  await api.close();
});

/** A node as its kubelet registers it, Ready when `ready`, labelled and annotated as given. */
async function node(name: string, ready: boolean, labels: Record<string, string> = {}, annotations = {}) {
  await client.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels, annotations } });
  if (ready) await heartbeat(name);
}

/** The kubelet's status heartbeat: Ready True, fresh lastHeartbeatTime. */
async function heartbeat(name: string) {
  const current = await client.get(nodeRef, name);
  const conditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => ({
    type,
    status: type === 'Ready' ? 'True' : 'False',
    reason: 'Kubelet',
    message: 'ok',
    lastHeartbeatTime: time(clock),
    lastTransitionTime: time(clock),
  }));
  await client.update({ ...current, status: { ...current.status, conditions } }, { subresource: 'status' });
}

async function renewLease(namespace: string, name: string, labels: Record<string, string> = {}) {
  const holderIdentity = name.replace(/^skiff-host-/, '');
  const spec = { holderIdentity, leaseDurationSeconds: 40, renewTime: micro(clock) };
  try {
    const lease = await client.get(leaseRef(namespace), name);
    await client.update({ ...lease, spec });
  } catch {
    await client.create({ ...leaseRef(namespace), metadata: { name, namespace, labels }, spec });
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Moves the clock (the steady node keeps beating) and has the controller look at every node. */
async function advance(ms: number) {
  // What the controller has been told is seen at the current time before the clock moves on.
  await controller.queue.drained();
  clock += ms;
  await renewLease('kube-node-lease', 'steady');
  controller.resync();
  await controller.queue.drained();
}

const conditionsOf = async (name: string) =>
  Object.fromEntries(((await client.get(nodeRef, name)).status?.conditions ?? []).map((c: any) => [c.type, c]));
const taintsOf = async (name: string) =>
  ((await client.get(nodeRef, name)).spec?.taints ?? []).map((t: any) => `${t.key}:${t.effect}`).sort();

it('a node whose kubelet never posted status turns Unknown after the startup grace, and is tainted unreachable', async () => {
  await node('silent', false);
  await advance(1000);
  assert.deepEqual(await conditionsOf('silent'), {});
  await advance(60_000);
  const conditions = await until(async () => {
    const c = await conditionsOf('silent');
    return c.Ready && c;
  }, 'conditions');
  for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
    assert.equal(conditions[type].status, 'Unknown');
    assert.equal(conditions[type].reason, 'NodeStatusNeverUpdated');
    assert.equal(conditions[type].message, 'Kubelet never posted node status.');
  }
  await advance(0);
  assert.deepEqual(await taintsOf('silent'), [
    'node.kubernetes.io/unreachable:NoExecute',
    'node.kubernetes.io/unreachable:NoSchedule',
  ]);
  const taint = (await client.get(nodeRef, 'silent')).spec.taints.find((t: any) => t.effect === 'NoExecute');
  assert.equal(taint.timeAdded, time(clock));
});

it('a node that stops posting turns Unknown, its pods not Ready, and the taint manager evicts after tolerationSeconds', async () => {
  await node('quiet', true);
  await createPod(client, 'default-tolerations', { nodeName: 'quiet' });
  await setPodRunning(client, 'default-tolerations', '10.0.1.1', true);
  await client.create({
    ...podRef,
    metadata: { name: 'forever', namespace: 'default' },
    spec: {
      nodeName: 'quiet',
      containers: [{ name: 'c', image: 'nginx' }],
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }],
    },
  });
  await client.create({
    ...podRef,
    metadata: { name: 'short', namespace: 'default' },
    spec: {
      nodeName: 'quiet',
      containers: [{ name: 'c', image: 'nginx' }],
      tolerations: [
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 },
      ],
    },
  });
  await advance(1000);
  await renewLease('kube-node-lease', 'quiet');
  await advance(40_000);
  assert.equal((await conditionsOf('quiet')).Ready.status, 'True', 'a lease renewal is a heartbeat');
  await advance(51_000);
  const ready = (await conditionsOf('quiet')).Ready;
  assert.equal(ready.status, 'Unknown');
  assert.equal(ready.reason, 'NodeStatusUnknown');
  assert.equal(ready.message, 'Kubelet stopped posting node status.');
  assert.equal((await conditionsOf('quiet')).MemoryPressure.status, 'Unknown');
  const pod = await client.get(podRef, 'default-tolerations');
  assert.equal(pod.status.conditions.find((c: any) => c.type === 'Ready').status, 'False');
  await advance(0);
  assert.deepEqual(await taintsOf('quiet'), [
    'node.kubernetes.io/unreachable:NoExecute',
    'node.kubernetes.io/unreachable:NoSchedule',
  ]);
  await advance(6000);
  const short = await until(async () => {
    const p = await client.get(podRef, 'short');
    return p.metadata.deletionTimestamp ? p : undefined;
  }, 'short evicted');
  const target = short.status.conditions.find((c: any) => c.type === 'DisruptionTarget');
  assert.equal(target.reason, 'DeletionByTaintManager');
  assert.equal(target.message, 'Taint manager: deleting due to NoExecute taint');
  assert.equal((await client.get(podRef, 'default-tolerations')).metadata.deletionTimestamp, undefined);
  await advance(300_000);
  await until(async () => (await client.get(podRef, 'default-tolerations')).metadata.deletionTimestamp, 'evicted');
  assert.equal((await client.get(podRef, 'forever')).metadata.deletionTimestamp, undefined);
  const events = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: 'default' });
  const reasons = events.items.map((e: KubeObject) => `${e.reason}: ${e.message}`);
  assert.ok(reasons.includes('NodeNotReady: Node quiet status is now: NodeNotReady'), reasons.join('\n'));
  assert.ok(reasons.includes('TaintManagerEviction: Marking for deletion Pod default/short'));
  assert.ok(reasons.includes('NodeNotReady: Node is not ready'));

  await heartbeat('quiet');
  await advance(1000);
  assert.deepEqual(await taintsOf('quiet'), [], 'taints go when heartbeats return');
  assert.equal((await conditionsOf('quiet')).Ready.status, 'True');
});

it('a Ready=False node is tainted not-ready', async () => {
  await node('sick', true);
  const current = await client.get(nodeRef, 'sick');
  const conditions = current.status.conditions.map((c: any) =>
    c.type === 'Ready' ? { ...c, status: 'False', reason: 'KubeletNotReady', lastHeartbeatTime: time(clock + 1) } : c,
  );
  await client.update({ ...current, status: { ...current.status, conditions } }, { subresource: 'status' });
  await advance(11_000);
  assert.deepEqual(await taintsOf('sick'), [
    'node.kubernetes.io/not-ready:NoExecute',
    'node.kubernetes.io/not-ready:NoSchedule',
  ]);
  await client.delete(nodeRef, 'sick');
});

it('a Fargate node whose host is gone is deleted and its pod failed and collected', async () => {
  await renewLease('kube-system', 'skiff-host-h1', { 'skiff.io/component': 'host-agent' });
  await node(
    'fargate-ip-10-0-130-7.ap-northeast-2.compute.internal',
    true,
    { 'eks.amazonaws.com/compute-type': 'fargate' },
    { 'skiff.io/host': 'h1' },
  );
  const name = 'fargate-ip-10-0-130-7.ap-northeast-2.compute.internal';
  await createPod(client, 'lonely', { nodeName: name });
  await advance(40_000);
  await renewLease('kube-system', 'skiff-host-h1');
  await advance(22_000);
  assert.equal((await conditionsOf(name)).Ready.status, 'Unknown', 'the node first, its host still renewing');
  await advance(30_000);
  await until(async () => {
    const nodes = await client.list(nodeRef);
    return !nodes.items.some((n: KubeObject) => n.metadata.name === name);
  }, 'the node deleted');
  const pod = await client.get(podRef, 'lonely');
  assert.equal(pod.metadata.deletionTimestamp, undefined, 'quarantined first');
  clock += 2000;
  controller.queue.add(name);
  await until(async () => {
    const pods = await client.list(podRef);
    return !pods.items.some((p: KubeObject) => p.metadata.name === 'lonely');
  }, 'the orphan collected');
  const events = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: 'default' });
  assert.ok(
    events.items.some(
      (e: KubeObject) =>
        e.reason === 'DeletingNode' &&
        e.message === `Deleting node ${name} because it does not exist in the cloud provider`,
    ),
  );
});

it('when every node is unreachable, none is tainted NoExecute (master disruption mode)', async () => {
  for (const name of ['silent', 'quiet']) await client.delete(nodeRef, name).catch(() => undefined);
  clock += 120_000;
  controller.resync();
  await controller.queue.drained();
  await until(async () => (await conditionsOf('steady')).Ready?.status === 'Unknown', 'steady unknown');
  controller.resync();
  await controller.queue.drained();
  assert.deepEqual(await taintsOf('steady'), ['node.kubernetes.io/unreachable:NoSchedule']);
  assert.deepEqual(errors, []);
});
