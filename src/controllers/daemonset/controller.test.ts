// The DaemonSet controller against the real in-process API, with a fake scheduler+kubelet: one pod per node-group
// node and none on Fargate nodes, nodeSelector, tolerations, nodes coming and going, taints, failed pods, status.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { affinityNode, FakeKubelet } from '../../testing/fake-kubelet.js';
import { until } from '../../testing/until.js';
import { DaemonSetController } from './controller.js';
import {
  daemonSet,
  dsRef,
  eventMessages,
  fargateNode,
  groupNode,
  livePods,
  nodeRef,
  podRef,
  podsOn,
  statusIs,
} from './testing.js';

let api: TestApi;
let client: KubeClient;
let controller: DaemonSetController;
let kubelet: FakeKubelet;
const errors: unknown[] = [];
const group = [
  'ip-10-0-1-1.ap-northeast-2.compute.internal',
  'ip-10-0-1-2.ap-northeast-2.compute.internal',
  'ip-10-0-1-3.ap-northeast-2.compute.internal',
];
const fargate = [fargateNode('10.0.130.7'), fargateNode('10.0.130.8')];
/** Nodes the fake scheduler leaves alone, so their pods stay unscheduled. */
const unschedulable = new Set<string>();

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  for (const name of group) await client.create(groupNode(name));
  for (const node of fargate) await client.create(node);
  kubelet = new FakeKubelet(client, {
    schedule: (pod) => {
      const node = affinityNode(pod);
      return node && !unschedulable.has(node) ? node : undefined;
    },
  });
  await kubelet.start();
  controller = new DaemonSetController(client, { onError: (error) => errors.push(error) });
  await controller.start();
});
after(async () => {
  controller.stop();
  kubelet.stop();
  await api.close();
});

it('runs one pod on each node-group node and none on Fargate nodes', async () => {
  const ds = await client.create(daemonSet('logs'));
  const pods = await podsOn(client, 'logs', group);
  for (const pod of pods) {
    assert.match(pod.metadata.name!, /^logs-[a-z0-9]{5}$/);
    assert.deepEqual(pod.metadata.ownerReferences, [
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        name: 'logs',
        uid: ds.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.equal(pod.spec.schedulerName, 'default-scheduler');
    assert.equal(pod.metadata.labels!['pod-template-generation'], '1');
    const target = pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    assert.deepEqual(target, [
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: [affinityNode(pod)] }] },
    ]);
    assert.ok(
      pod.spec.tolerations.some(
        (t: any) => t.key === 'node.kubernetes.io/not-ready' && t.operator === 'Exists' && t.effect === 'NoExecute',
      ),
    );
  }
  const revisions = await client.list({ apiVersion: 'apps/v1', kind: 'ControllerRevision', namespace: 'default' });
  const [revision] = revisions.items.filter((r) => r.metadata.ownerReferences?.[0]?.uid === ds.metadata.uid);
  assert.equal(revision.revision, 1);
  assert.equal(revision.metadata.name, `logs-${revision.metadata.labels!['controller-revision-hash']}`);
  assert.equal(revision.data.spec.template.$patch, 'replace');
  assert.ok(
    pods.every(
      (p) => p.metadata.labels!['controller-revision-hash'] === revision.metadata.labels!['controller-revision-hash'],
    ),
  );
  await statusIs(client, 'logs', {
    desiredNumberScheduled: 3,
    currentNumberScheduled: 3,
    numberReady: 3,
    numberAvailable: 3,
    updatedNumberScheduled: 3,
    numberMisscheduled: 0,
    numberUnavailable: 0,
    observedGeneration: 1,
  });
  const created = await eventMessages(client, 'logs', 'SuccessfulCreate');
  assert.deepEqual(created, pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
  const bound = await livePods(client, 'logs');
  assert.deepEqual(bound.map((p) => p.spec.nodeName).sort(), [...group].sort());
});

it('honours nodeSelector as node labels change', async () => {
  await client.create(daemonSet('edge', { nodeSelector: { role: 'edge' } }));
  await statusIs(client, 'edge', { desiredNumberScheduled: 0, observedGeneration: 1 });
  assert.equal((await livePods(client, 'edge')).length, 0);
  await client.patch(nodeRef, group[1], { metadata: { labels: { role: 'edge' } } }, 'merge');
  const [pod] = await podsOn(client, 'edge', [group[1]]);
  await statusIs(client, 'edge', { desiredNumberScheduled: 1, numberReady: 1 });
  await client.patch(nodeRef, group[1], { metadata: { labels: { role: null } } }, 'merge');
  await podsOn(client, 'edge', []);
  await statusIs(client, 'edge', { desiredNumberScheduled: 0, currentNumberScheduled: 0 });
  assert.deepEqual(await eventMessages(client, 'edge', 'SuccessfulDelete'), [`Deleted pod: ${pod.metadata.name}`]);
});

it('keeps off tainted nodes unless tolerated; a blanket toleration reaches Fargate nodes too', async () => {
  const infra = 'ip-10-0-1-9.ap-northeast-2.compute.internal';
  await client.create(groupNode(infra, {}, [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }]));
  await client.create(daemonSet('plain'));
  await client.create(
    daemonSet('infra', {
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }],
    }),
  );
  await client.create(daemonSet('everywhere', { tolerations: [{ operator: 'Exists' }] }));
  await podsOn(client, 'plain', group);
  await podsOn(client, 'infra', [...group, infra]);
  // As on EKS: pods that tolerate everything target Fargate nodes too (whose kubelet then refuses them).
  await podsOn(client, 'everywhere', [...group, infra, ...fargate.map((n) => n.metadata.name!)]);
  await statusIs(client, 'plain', { desiredNumberScheduled: 3, numberMisscheduled: 0 });
  for (const name of ['plain', 'infra', 'everywhere']) await client.delete(dsRef, name);
  await client.delete(nodeRef, infra);
});

it('adds a pod for a new node and forgets a node that goes', async () => {
  const extra = 'ip-10-0-1-4.ap-northeast-2.compute.internal';
  unschedulable.add(extra);
  await client.create(groupNode(extra));
  const pods = await podsOn(client, 'logs', [...group, extra]);
  await statusIs(client, 'logs', { desiredNumberScheduled: 4, currentNumberScheduled: 4, numberReady: 3 });
  const pending = pods.find((p) => affinityNode(p) === extra)!;
  assert.equal(pending.spec.nodeName, undefined);
  await client.delete(nodeRef, extra);
  await podsOn(client, 'logs', group);
  await statusIs(client, 'logs', { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3 });
  assert.ok(
    (await eventMessages(client, 'logs', 'SuccessfulDelete')).includes(`Deleted pod: ${pending.metadata.name}`),
  );
  unschedulable.delete(extra);
});

it('leaves a pod on a node newly tainted NoSchedule (misscheduled) and removes it on NoExecute', async () => {
  await client.patch(nodeRef, group[2], { spec: { taints: [{ key: 'maintenance', effect: 'NoSchedule' }] } }, 'merge');
  await statusIs(client, 'logs', { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 1 });
  await podsOn(client, 'logs', group);
  await client.patch(nodeRef, group[2], { spec: { taints: [{ key: 'maintenance', effect: 'NoExecute' }] } }, 'merge');
  await podsOn(client, 'logs', group.slice(0, 2));
  await statusIs(client, 'logs', { desiredNumberScheduled: 2, numberMisscheduled: 0 });
  await client.patch(nodeRef, group[2], { spec: { taints: [] } }, 'merge');
  await podsOn(client, 'logs', group);
  await statusIs(client, 'logs', { desiredNumberScheduled: 3, numberReady: 3, numberAvailable: 3 });
});

it('replaces a failed daemon pod with a warning', async () => {
  const pods = await podsOn(client, 'logs', group);
  const victim = pods.find((p) => p.spec.nodeName === group[0])!;
  await kubelet.setStatus('default', victim.metadata.name!, { phase: 'Failed', ready: false });
  const replaced = await until(async () => {
    const now = await livePods(client, 'logs');
    return now.length === 3 && !now.some((p) => p.metadata.name === victim.metadata.name) && now;
  }, 'the failed pod replaced');
  // The replacement targets the node by affinity; it may not be bound yet.
  assert.equal(replaced.filter((p) => (p.spec.nodeName || affinityNode(p)) === group[0]).length, 1);
  assert.deepEqual(await eventMessages(client, 'logs', 'FailedDaemonPod'), [
    `Found failed daemon pod default/${victim.metadata.name} on node ${group[0]}, will try to kill it`,
  ]);
  await until(
    async () => (await client.list(podRef)).items.every((p) => p.metadata.name !== victim.metadata.name),
    'gone',
  );
  assert.deepEqual(errors, []);
});
