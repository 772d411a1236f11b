// The ReplicaSet controller against the real in-process API: scale up with owner references and events,
// scale down in Kubernetes' ranking (pod status written as a kubelet would), adoption and release, status.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { ReplicaSetController } from './controller.js';

const ns = 'default';
const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: ns };
const rsRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns };
let api: TestApi;
let client: KubeClient;
let controller: ReplicaSetController;
const errors: unknown[] = [];

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  controller = new ReplicaSetController(client, { onError: (error) => errors.push(error) });
  await controller.start();
});
after(async () => {
  controller.stop();
  await api.close();
});

function replicaSet(name: string, replicas: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, tier: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
      ...extra,
    },
  };
}

async function podsOf(name: string): Promise<KubeObject[]> {
  const list = await client.list(podRef, { labelSelector: `app=${name}` });
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}

async function ownedCount(name: string, count: number): Promise<KubeObject[]> {
  return until(async () => {
    const pods = await podsOf(name);
    const owned = pods.filter((p) => p.metadata.ownerReferences?.some((r) => r.name === name && r.controller));
    return owned.length === count && pods.length === count && owned;
  }, `${count} pods of ${name}`);
}

async function statusIs(name: string, expected: Record<string, number>): Promise<KubeObject> {
  return until(
    async () => {
      const rs = await client.get(rsRef, name);
      return Object.entries(expected).every(([k, v]) => (rs.status?.[k] ?? 0) === v) && rs;
    },
    `${name} status ${JSON.stringify(expected)}`,
  );
}

async function eventsOf(name: string, reason: string): Promise<string[]> {
  const list = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns });
  return list.items
    .filter((e) => e.involvedObject?.name === name && e.reason === reason)
    .map((e) => e.message)
    .sort();
}

/** What the scheduler and a kubelet would write: a binding to a node, then phase and Ready. */
async function runPod(pod: KubeObject, state: { node?: string; phase?: string; ready?: boolean; readySince?: Date }) {
  const name = pod.metadata.name!;
  if (state.node) {
    await client.createSubresource(podRef, name, 'binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name, namespace: ns },
      target: { apiVersion: 'v1', kind: 'Node', name: state.node },
    });
  }
  if (!state.phase) return;
  const current = await client.get(podRef, name);
  const since = (state.readySince ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
  current.status = {
    ...current.status,
    phase: state.phase,
    conditions: [{ type: 'Ready', status: state.ready ? 'True' : 'False', lastTransitionTime: since }],
  };
  await client.update(current, { subresource: 'status' });
}

it('creates pods from the template with a controller reference, events and status', async () => {
  const rs = await client.create(replicaSet('web', 3));
  const pods = await ownedCount('web', 3);
  for (const pod of pods) {
    assert.match(pod.metadata.name!, /^web-[a-z0-9]{5}$/);
    assert.equal(pod.metadata.generateName, 'web-');
    assert.deepEqual(pod.metadata.labels, { app: 'web', tier: 'web' });
    assert.deepEqual(pod.metadata.ownerReferences, [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'web',
        uid: rs.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.equal(pod.spec.containers[0].image, 'nginx');
  }
  await statusIs('web', {
    replicas: 3,
    fullyLabeledReplicas: 3,
    readyReplicas: 0,
    availableReplicas: 0,
    observedGeneration: 1,
  });
  const created = await until(async () => {
    const messages = await eventsOf('web', 'SuccessfulCreate');
    return messages.length === 3 && messages;
  }, 'three SuccessfulCreate events');
  assert.deepEqual(created, pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
  const event = (await client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns })).items.find(
    (e) => e.reason === 'SuccessfulCreate',
  )!;
  assert.equal(event.type, 'Normal');
  assert.equal(event.source.component, 'replicaset-controller');
  assert.equal(event.involvedObject.kind, 'ReplicaSet');
  assert.equal(event.involvedObject.uid, rs.metadata.uid);
});

it('replaces a deleted pod and scales down to zero', async () => {
  const [victim] = await podsOf('web');
  await client.delete(podRef, victim.metadata.name!);
  const pods = await ownedCount('web', 3);
  assert.ok(pods.every((p) => p.metadata.name !== victim.metadata.name));
  await client.patch(rsRef, 'web', { spec: { replicas: 0 } }, 'merge');
  await ownedCount('web', 0);
  await statusIs('web', { replicas: 0, observedGeneration: 2 });
  const deleted = await until(async () => {
    const messages = await eventsOf('web', 'SuccessfulDelete');
    return messages.length === 3 && messages;
  }, 'three SuccessfulDelete events');
  assert.deepEqual(deleted, pods.map((p) => `Deleted pod: ${p.metadata.name}`).sort());
});

it('scales down in ranking order: unscheduled, Pending, not ready, then ready', async () => {
  await client.create(replicaSet('rank', 4));
  const pods = await ownedCount('rank', 4);
  const [ready, notReady, pending, unscheduled] = pods.map((p) => p.metadata.name!);
  await runPod(pods[0], { node: 'n1', phase: 'Running', ready: true });
  await runPod(pods[1], { node: 'n2', phase: 'Running', ready: false });
  await runPod(pods[2], { node: 'n3', phase: 'Pending' });
  await statusIs('rank', { replicas: 4, readyReplicas: 1, availableReplicas: 1 });
  const names = async () => (await podsOf('rank')).map((p) => p.metadata.name).sort();
  for (const [replicas, gone] of [
    [3, unscheduled],
    [2, pending],
    [1, notReady],
  ] as const) {
    await client.patch(rsRef, 'rank', { spec: { replicas } }, 'merge');
    await ownedCount('rank', replicas);
    assert.ok(!(await names()).includes(gone), `${gone} should have gone at ${replicas} replicas`);
  }
  assert.deepEqual(await names(), [ready]);
  await statusIs('rank', { replicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 4 });
});

it('prefers more restarts and then newer pods among equals', async () => {
  await client.create(replicaSet('restarts', 2));
  const pods = await ownedCount('restarts', 2);
  for (const pod of pods)
    await runPod(pod, { node: `n-${pod.metadata.name}`, phase: 'Running', ready: true, readySince: new Date(0) });
  const flaky = await client.get(podRef, pods[1].metadata.name!);
  flaky.status.containerStatuses = [
    { name: 'c', restartCount: 3, ready: true, image: 'nginx', imageID: '', state: {} },
  ];
  await client.update(flaky, { subresource: 'status' });
  await client.patch(rsRef, 'restarts', { spec: { replicas: 1 } }, 'merge');
  const [left] = await ownedCount('restarts', 1);
  assert.equal(left.metadata.name, pods[0].metadata.name);
});

it('adopts a matching orphan, ignores one being deleted, and releases a pod that stops matching', async () => {
  const orphan = await client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'orphan', namespace: ns, labels: { app: 'adopt' } },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  });
  const dying = await client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'dying', namespace: ns, labels: { app: 'adopt' }, finalizers: ['skiff.test/hold'] },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  });
  await client.delete(podRef, dying.metadata.name!);
  const rs = await client.create(replicaSet('adopt', 2));
  const pods = await ownedCount('adopt', 2);
  const adopted = pods.find((p) => p.metadata.name === orphan.metadata.name);
  assert.ok(adopted, 'the orphan is one of the two pods');
  assert.equal(adopted.metadata.ownerReferences?.[0].uid, rs.metadata.uid);
  assert.equal((await client.get(podRef, 'dying')).metadata.ownerReferences, undefined);
  await statusIs('adopt', { replicas: 2, fullyLabeledReplicas: 1 });
  assert.deepEqual(await eventsOf('adopt', 'SuccessfulCreate'), [
    `Created pod: ${pods.find((p) => p !== adopted)!.metadata.name}`,
  ]);

  await client.patch(podRef, 'orphan', { metadata: { labels: { app: 'elsewhere' } } }, 'merge');
  await ownedCount('adopt', 2);
  const released = await until(async () => {
    const pod = await client.get(podRef, 'orphan');
    return !pod.metadata.ownerReferences?.length && pod;
  }, 'the orphan to be released');
  assert.equal(released.metadata.labels?.app, 'elsewhere');
  const held = await client.get(podRef, 'dying');
  held.metadata.finalizers = [];
  await client.update(held);
});

it('counts a pod available only after minReadySeconds', async () => {
  await client.create(replicaSet('slow', 1, { minReadySeconds: 1 }));
  const [pod] = await ownedCount('slow', 1);
  await runPod(pod, { node: 'n1', phase: 'Running', ready: true, readySince: new Date() });
  await statusIs('slow', { replicas: 1, readyReplicas: 1, availableReplicas: 0 });
  const started = Date.now();
  await statusIs('slow', { replicas: 1, readyReplicas: 1, availableReplicas: 1 });
  assert.ok(Date.now() - started < 3000);
  assert.deepEqual(errors, []);
});
