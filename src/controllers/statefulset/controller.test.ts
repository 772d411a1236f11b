// The StatefulSet controller against the real API, the test playing kubelet: ordered creation (web-1 only once
// web-0 is Running and Ready), stable identity, reverse-ordinal scale-down, Parallel, failed pods recreated.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { until } from '../../testing/until.js';
import {
  eventMessages,
  type Harness,
  live,
  names,
  ns,
  podRef,
  podsOf,
  setRef,
  settled,
  startHarness,
  statefulSet,
  statusIs,
} from './testing.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

const ready = (name: string) => h.kubelet.setStatus(ns, name, { phase: 'Running', ready: true });

it('creates pods in order, each only after the one before is Running and Ready', async () => {
  h.hold.starts = true;
  const set = await h.client.create(statefulSet('web', 3));
  for (const [i, expected] of ['web-0', 'web-0,web-1', 'web-0,web-1,web-2'].entries()) {
    const pods = await settled(h, 'web', (p) => names(p) === expected && p, expected);
    await ready(`web-${i}`);
    assert.equal(pods.length, i + 1);
  }
  const updateRevision = (await statusIs(h.client, 'web', { replicas: 3, readyReplicas: 3 })).status.updateRevision;
  const [pod] = await podsOf(h.client, 'web');
  assert.equal(pod.spec.hostname, 'web-0');
  assert.equal(pod.spec.subdomain, 'web');
  assert.deepEqual(pod.metadata.labels, {
    app: 'web',
    'statefulset.kubernetes.io/pod-name': 'web-0',
    'apps.kubernetes.io/pod-index': '0',
    'controller-revision-hash': updateRevision,
  });
  assert.deepEqual(pod.metadata.ownerReferences, [
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      name: 'web',
      uid: set.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  const revisions = await h.client.list({ apiVersion: 'apps/v1', kind: 'ControllerRevision', namespace: ns });
  const [revision] = revisions.items.filter((r) => r.metadata.ownerReferences?.[0]?.uid === set.metadata.uid);
  assert.equal(revision.metadata.name, updateRevision);
  assert.equal(revision.metadata.name, `web-${revision.metadata.labels!['controller.kubernetes.io/hash']}`);
  assert.equal(revision.revision, 1);
  await statusIs(h.client, 'web', {
    replicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    currentReplicas: 3,
    updatedReplicas: 3,
    currentRevision: updateRevision,
    updateRevision,
    observedGeneration: 1,
  });
  assert.deepEqual(await eventMessages(h.client, 'web', 'SuccessfulCreate'), [
    'create Pod web-0 in StatefulSet web successful',
    'create Pod web-1 in StatefulSet web successful',
    'create Pod web-2 in StatefulSet web successful',
  ]);
  const event = (await h.client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns })).items.find(
    (e) => e.involvedObject.name === 'web',
  )!;
  assert.equal(event.source.component, 'statefulset-controller');
});

it('recreates a deleted pod under the same name', async () => {
  h.hold.starts = false;
  const before = (await podsOf(h.client, 'web'))[1];
  await h.client.delete(podRef, 'web-1');
  const again = await settled(
    h,
    'web',
    (pods) => {
      const pod = pods.find((p) => p.metadata.name === 'web-1');
      return pod && pod.metadata.uid !== before.metadata.uid && pod.status.phase === 'Running' && pod;
    },
    'web-1 recreated',
  );
  assert.equal(again.spec.hostname, 'web-1');
});

it('scales down from the highest ordinal, one terminated pod at a time', async () => {
  h.hold.deletions = true;
  await h.client.patch(setRef, 'web', { spec: { replicas: 1 } }, 'merge');
  await settled(h, 'web', (p) => names(live(p)) === 'web-0,web-1' && p.length === 3, 'web-2 terminating');
  await h.kubelet.finishDeletion(ns, 'web-2');
  await settled(h, 'web', (p) => names(live(p)) === 'web-0' && names(p) === 'web-0,web-1', 'web-1 terminating');
  await h.kubelet.finishDeletion(ns, 'web-1');
  await settled(h, 'web', (p) => names(p) === 'web-0', 'only web-0');
  h.hold.deletions = false;
  await statusIs(h.client, 'web', { replicas: 1, readyReplicas: 1, observedGeneration: 2 });
  const deleted = await eventMessages(h.client, 'web', 'SuccessfulDelete');
  assert.deepEqual(deleted.slice(-2), [
    'delete Pod web-2 in StatefulSet web successful',
    'delete Pod web-1 in StatefulSet web successful',
  ]);
});

it('holds a scale-down at a pod that is not ready, unless it is the first unhealthy one', async () => {
  await h.client.patch(setRef, 'web', { spec: { replicas: 3 } }, 'merge');
  await settled(h, 'web', (p) => p.length === 3 && p.every((x) => x.status.phase === 'Running') && p, 'three running');
  await h.kubelet.setStatus(ns, 'web-1', { phase: 'Running', ready: false });
  await h.kubelet.setStatus(ns, 'web-2', { phase: 'Running', ready: false });
  const { metadata } = await h.client.patch(setRef, 'web', { spec: { replicas: 1 } }, 'merge');
  await statusIs(h.client, 'web', { observedGeneration: metadata.generation });
  await settled(h, 'web', (p) => names(live(p)) === 'web-0,web-1,web-2', 'web-2 kept while not ready');
  await ready('web-2');
  await settled(h, 'web', (p) => names(p) === 'web-0' && p, 'web-2, then web-1 (the first unhealthy), gone');
  const deleted = await eventMessages(h.client, 'web', 'SuccessfulDelete');
  assert.deepEqual(deleted.slice(-2), [
    'delete Pod web-2 in StatefulSet web successful',
    'delete Pod web-1 in StatefulSet web successful',
  ]);
});

it('creates and deletes all at once with Parallel', async () => {
  h.hold.starts = true;
  h.hold.deletions = true;
  await h.client.create(statefulSet('par', 3, { podManagementPolicy: 'Parallel' }));
  const pods = await settled(h, 'par', (p) => p.length === 3 && p, 'three pods');
  assert.ok(
    pods.every((p) => p.status.phase === 'Pending'),
    'none had to be ready first',
  );
  await statusIs(h.client, 'par', { replicas: 3, readyReplicas: 0 });
  await h.client.patch(setRef, 'par', { spec: { replicas: 0 } }, 'merge');
  await settled(h, 'par', (p) => p.length === 3 && live(p).length === 0, 'all three terminating');
  for (const name of ['par-0', 'par-1', 'par-2']) await h.kubelet.finishDeletion(ns, name);
  await settled(h, 'par', (p) => p.length === 0, 'none left');
  h.hold.starts = false;
  h.hold.deletions = false;
});

it('recreates a failed pod with a warning', async () => {
  await h.kubelet.setStatus(ns, 'web-0', { phase: 'Failed', ready: false });
  await until(async () => (await eventMessages(h.client, 'web', 'RecreatingFailedPod')).length === 1, 'the warning');
  assert.deepEqual(await eventMessages(h.client, 'web', 'RecreatingFailedPod'), [
    'StatefulSet default/web is recreating failed Pod web-0',
  ]);
  await settled(h, 'web', (p) => names(p) === 'web-0' && p[0].status.phase === 'Running', 'web-0 running again');
  assert.deepEqual(h.errors, []);
});
