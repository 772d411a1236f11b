// default-scheduler against the real in-process API: Kubernetes' exact texts when nothing fits (no nodes, a
// Fargate-only cluster), binding to the least allocated node, taints, selectors, affinity, resources, pod count,
// retries when nodes or pods change, and many pods without overcommitting a node.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { fargateNode } from '../../fargate/naming.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { DefaultScheduler } from './scheduler.js';
import { type TestNode, type TestPod, testNode, testPod } from './testing.js';

const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: 'default' };
const nodeRef = { apiVersion: 'v1', kind: 'Node' };
const fargateTaint = 'node(s) had untolerated taint {eks.amazonaws.com/compute-type: fargate}';
let api: TestApi;
let client: KubeClient;
let scheduler: DefaultScheduler;
let errors: unknown[];

beforeEach(async () => {
  errors = [];
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  scheduler = new DefaultScheduler({ client, onError: (e) => errors.push(e) });
  await scheduler.start();
});
afterEach(async () => {
  await scheduler.stop();
  await api.close();
  assert.deepEqual(errors, []);
});

const addNode = (n: TestNode) => client.create(testNode(n));

async function addPod(p: TestPod): Promise<KubeObject> {
  const pod = testPod(p);
  delete pod.metadata.uid;
  delete pod.status;
  return client.create(pod);
}

const nodeOf = (name: string) =>
  until(async () => (await client.get(podRef, name)).spec.nodeName as string | undefined, `${name} bound`);

async function eventsOf(name: string, reason: string): Promise<KubeObject[]> {
  const { items } = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: 'default' });
  return items.filter((e) => e.involvedObject.name === name && e.reason === reason);
}

async function failure(name: string, message: string): Promise<void> {
  await until(
    async () => (await eventsOf(name, 'FailedScheduling')).some((e) => e.message === message),
    `"${message}"`,
  );
  const [event] = (await eventsOf(name, 'FailedScheduling')).filter((e) => e.message === message);
  assert.equal(event.type, 'Warning');
  assert.equal(event.source.component, 'default-scheduler');
  const pod = await until(async () => {
    const p = await client.get(podRef, name);
    return p.status.conditions?.some((c: any) => c.type === 'PodScheduled' && c.message === message) && p;
  }, 'the PodScheduled condition');
  const condition = pod.status.conditions.find((c: any) => c.type === 'PodScheduled');
  assert.deepEqual([condition.status, condition.reason], ['False', 'Unschedulable']);
  assert.equal(pod.spec.nodeName, undefined);
}

it('with no nodes: "no nodes available to schedule pods"', async () => {
  await addPod({ name: 'lonely' });
  await failure('lonely', 'no nodes available to schedule pods');
});

it('on a Fargate-only cluster: the untolerated Fargate taint, then scheduled once a node group node joins', async () => {
  for (const ip of ['10.0.128.10', '10.0.128.11', '10.0.192.12']) {
    const node = fargateNode({
      ip,
      region: 'ap-northeast-2',
      zone: 'ap-northeast-2a',
      kubeletVersion: 'v1.32.9-eks-0000000',
      cpuMillis: 250,
      memoryMiB: 512,
      ephemeralStorageGiB: 20,
      now: new Date().toISOString(),
    });
    await client.create({ apiVersion: 'v1', kind: 'Node', ...node });
  }
  await addPod({ name: 'web' });
  await failure(
    'web',
    `0/3 nodes are available: 3 ${fargateTaint}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`,
  );
  await addNode({ name: 'ip-10-0-130-7.ap-northeast-2.compute.internal' });
  assert.equal(await nodeOf('web'), 'ip-10-0-130-7.ap-northeast-2.compute.internal');
  const [scheduled] = await until(() => eventsOf('web', 'Scheduled').then((e) => e.length > 0 && e), 'Scheduled');
  assert.equal(scheduled.message, 'Successfully assigned default/web to ip-10-0-130-7.ap-northeast-2.compute.internal');
  assert.equal(scheduled.source.component, 'default-scheduler');
  const pod = await client.get(podRef, 'web');
  assert.equal(pod.status.conditions.find((c: any) => c.type === 'PodScheduled').status, 'True');
});

it('binds to the least allocated node', async () => {
  await addNode({ name: 'busy', cpu: '4', memory: '8Gi' });
  await addNode({ name: 'idle', cpu: '4', memory: '8Gi' });
  await addPod({ name: 'big', cpu: '3', memory: '6Gi', nodeName: 'busy' });
  await addPod({ name: 'small', cpu: '100m', memory: '128Mi' });
  assert.equal(await nodeOf('small'), 'idle');
});

it('respects taints, tolerations, nodeSelector and node affinity', async () => {
  await addNode({
    name: 'gpu',
    labels: { accel: 'gpu' },
    taints: [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }],
  });
  await addNode({ name: 'plain', labels: { zone: 'a' } });
  await addPod({
    name: 'trainer',
    nodeSelector: { accel: 'gpu' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }],
  });
  assert.equal(await nodeOf('trainer'), 'gpu');
  await addPod({ name: 'untolerating', nodeSelector: { accel: 'gpu' } });
  await failure(
    'untolerating',
    "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: ml}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
  );
  const affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }],
      },
    },
  };
  await addPod({ name: 'zonal', affinity });
  assert.equal(await nodeOf('zonal'), 'plain');
});

it('reports insufficient resources and schedules once room is freed', async () => {
  await addNode({ name: 'n1', cpu: '2', memory: '4Gi' });
  await addNode({
    name: 'f',
    taints: [{ key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' }],
  });
  await addPod({ name: 'hog', cpu: '1500m' });
  assert.equal(await nodeOf('hog'), 'n1');
  await addPod({ name: 'late', cpu: '1' });
  await failure(
    'late',
    `0/2 nodes are available: 1 Insufficient cpu, 1 ${fargateTaint}. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.`,
  );
  await client.delete(podRef, 'hog', { gracePeriodSeconds: 0 });
  assert.equal(await nodeOf('late'), 'n1');
});

it('counts pods against max pods and retries when a pod goes', async () => {
  await addNode({ name: 'tiny', pods: 2 });
  await addPod({ name: 'p1' });
  await addPod({ name: 'p2' });
  await nodeOf('p1');
  await nodeOf('p2');
  await addPod({ name: 'p3' });
  await failure(
    'p3',
    '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
  );
  // A change to the node that does not help: the same message again, counted on the same Event.
  await client.patch(nodeRef, 'tiny', { metadata: { labels: { touched: 'yes' } } }, 'merge');
  await until(async () => (await eventsOf('p3', 'FailedScheduling'))[0]?.count === 2, 'the repeat counted');
  assert.equal((await eventsOf('p3', 'FailedScheduling')).length, 1);
  await client.delete(podRef, 'p1', { gracePeriodSeconds: 0 });
  assert.equal(await nodeOf('p3'), 'tiny');
});

it('a higher-priority pod preempts a lower one and is nominated', async () => {
  await addNode({ name: 'only', cpu: '1' });
  await addPod({ name: 'low', cpu: '800m', priority: 1 });
  await nodeOf('low');
  await addPod({ name: 'high', cpu: '800m', priority: 1000 });
  const low = await until(async () => {
    const victim = await client.get(podRef, 'low');
    return Boolean(victim.metadata.deletionTimestamp) && victim;
  }, 'the victim deleted');
  const disruption = low.status.conditions.find((c: any) => c.type === 'DisruptionTarget');
  assert.deepEqual([disruption.status, disruption.reason], ['True', 'PreemptionByScheduler']);
  const [preempted] = await eventsOf('low', 'Preempted');
  const high = await until(async () => {
    const p = await client.get(podRef, 'high');
    return p.status.nominatedNodeName === 'only' && p;
  }, 'high nominated');
  assert.equal(preempted.message, `Preempted by pod ${high.metadata.uid} on node only`);
  // The room is held for the nominated pod: a lower-priority pod does not take it.
  await addPod({ name: 'other', cpu: '100m' });
  await failure(
    'other',
    '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
  );
  // Retried while its victim terminates, the preemptor waits for it rather than preempting again.
  await client.patch(nodeRef, 'only', { metadata: { labels: { touched: 'yes' } } }, 'merge');
  await failure(
    'high',
    '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.',
  );
  await client.delete(podRef, 'low', { gracePeriodSeconds: 0 });
  assert.equal(await nodeOf('high'), 'only');
  assert.equal(await nodeOf('other'), 'only');
});

it('places many pods without overcommitting any node', async () => {
  for (const name of ['a', 'b', 'c']) await addNode({ name, cpu: '64', memory: '256Gi', pods: 40 });
  const total = 130;
  await Promise.all(
    Array.from({ length: total }, (_, i) => addPod({ name: `many-${i}`, cpu: '100m', memory: '64Mi' })),
  );
  const pods = await until(
    async () => {
      const { items } = await client.list(podRef);
      const bound = items.filter((p) => p.spec.nodeName);
      return bound.length === 120 && items;
    },
    '120 pods bound',
    30_000,
  );
  const perNode = new Map<string, number>();
  for (const p of pods) if (p.spec.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  assert.deepEqual([...perNode.values()], [40, 40, 40]);
  const pending = pods.filter((p) => !p.spec.nodeName).map((p) => p.metadata.name!);
  assert.equal(pending.length, total - 120);
  await failure(
    pending[0],
    '0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
  );
});
