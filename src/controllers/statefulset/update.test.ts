// StatefulSet updates and storage against the real API: RollingUpdate from the highest ordinal down, each after
// the one above is healthy again; a partition holding lower ordinals back; OnDelete; going back to an earlier
// template; PVCs per ordinal from volumeClaimTemplates, kept on scale-down or handed to the pod by policy.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { until } from '../../testing/until.js';
import {
  claimRef,
  eventMessages,
  type Harness,
  live,
  names,
  ns,
  podRef,
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

const image = (tag: string) => ({
  spec: { template: { spec: { containers: [{ name: 'c', image: `nginx:${tag}` }] } } },
});
const revisionOf = (pod: KubeObject) => pod.metadata.labels!['controller-revision-hash'];

async function revisionsOf(name: string): Promise<KubeObject[]> {
  const list = await h.client.list({ apiVersion: 'apps/v1', kind: 'ControllerRevision', namespace: ns });
  return list.items
    .filter((r) => r.metadata.ownerReferences?.[0]?.name === name)
    .sort((a, b) => a.revision - b.revision);
}

async function runningSet(name: string, replicas: number, spec: Record<string, unknown> = {}) {
  h.hold.starts = false;
  await h.client.create(statefulSet(name, replicas, spec));
  return statusIs(h.client, name, { readyReplicas: replicas, replicas });
}

it('rolls from the highest ordinal down, waiting for each replacement to be ready', async () => {
  const { status } = await runningSet('roll', 3);
  h.hold.starts = true;
  await h.client.patch(setRef, 'roll', image('1.28'), 'merge');
  const update = await until(async () => (await revisionsOf('roll'))[1]?.metadata.name, 'a second revision');
  for (const ordinal of [2, 1, 0]) {
    const pods = await settled(
      h,
      'roll',
      (p) => p.length === 3 && revisionOf(p[ordinal]) === update && p[ordinal].status.phase === 'Pending' && p,
      `roll-${ordinal} replaced`,
    );
    assert.deepEqual(
      pods.map((p) => revisionOf(p) === update),
      [0, 1, 2].map((i) => i >= ordinal),
      'lower ordinals wait',
    );
    assert.equal(pods[ordinal].spec.containers[0].image, 'nginx:1.28');
    await h.kubelet.setStatus(ns, `roll-${ordinal}`, { phase: 'Running', ready: true });
  }
  await statusIs(h.client, 'roll', {
    updatedReplicas: 3,
    currentReplicas: 3,
    readyReplicas: 3,
    currentRevision: update,
    updateRevision: update,
  });
  assert.notEqual(status.currentRevision, update);
  const deleted = await eventMessages(h.client, 'roll', 'SuccessfulDelete');
  assert.deepEqual(
    deleted,
    [2, 1, 0].map((i) => `delete Pod roll-${i} in StatefulSet roll successful`),
  );
});

it('keeps ordinals below the partition at the current revision', async () => {
  h.hold.starts = false;
  const strategy = (partition: number) => ({
    spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition } } },
  });
  await h.client.patch(setRef, 'roll', strategy(2), 'merge');
  const before = (await h.client.get(setRef, 'roll')).status.currentRevision;
  await h.client.patch(setRef, 'roll', image('1.29'), 'merge');
  const update = await until(
    async () =>
      (await revisionsOf('roll')).at(-1)?.metadata.name !== before && (await revisionsOf('roll')).at(-1)!.metadata.name,
    'a new revision',
  );
  await settled(
    h,
    'roll',
    (p) => p.map(revisionOf).join() === [before, before, update].join() && p.every((x) => x.status.phase === 'Running'),
    'only roll-2 updated',
  );
  await statusIs(h.client, 'roll', {
    updatedReplicas: 1,
    currentReplicas: 2,
    currentRevision: before,
    updateRevision: update,
  });
  await h.client.patch(setRef, 'roll', strategy(0), 'merge');
  await settled(
    h,
    'roll',
    (p) => p.every((x) => revisionOf(x) === update && x.status.phase === 'Running'),
    'all updated',
  );
  await statusIs(h.client, 'roll', { updatedReplicas: 3, currentRevision: update });
});

it('rollout undo (the old revision as a patch) renumbers that revision', async () => {
  const [first] = await revisionsOf('roll');
  const top = (await revisionsOf('roll')).at(-1)!.revision;
  await h.client.patch(setRef, 'roll', first.data, 'strategic');
  await settled(
    h,
    'roll',
    (p) => p.every((x) => revisionOf(x) === first.metadata.name && x.status.phase === 'Running'),
    'back at the first',
  );
  const renumbered = (await revisionsOf('roll')).at(-1)!;
  assert.equal(renumbered.metadata.name, first.metadata.name);
  assert.equal(renumbered.revision, top + 1);
});

it('replaces pods only as they are deleted with OnDelete', async () => {
  await runningSet('manual', 2, { updateStrategy: { type: 'OnDelete' } });
  const current = (await h.client.get(setRef, 'manual')).status.currentRevision;
  await h.client.patch(setRef, 'manual', image('1.28'), 'merge');
  const update = await until(async () => (await revisionsOf('manual'))[1]?.metadata.name, 'a second revision');
  await statusIs(h.client, 'manual', { updateRevision: update, updatedReplicas: 0, currentReplicas: 2 });
  await settled(h, 'manual', (p) => p.every((x) => revisionOf(x) === current) && p.length === 2, 'nothing replaced');
  await h.client.delete(podRef, 'manual-0');
  await settled(h, 'manual', (p) => revisionOf(p[0]) === update && revisionOf(p[1]) === current, 'manual-0 updated');
  await statusIs(h.client, 'manual', { updatedReplicas: 1, currentReplicas: 1, currentRevision: current });
});

it('creates a PVC per ordinal from volumeClaimTemplates and keeps it on scale-down', async () => {
  const claimTemplate = {
    metadata: { name: 'data' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  };
  await runningSet('db', 2, { volumeClaimTemplates: [claimTemplate] });
  const claims = (await h.client.list(claimRef, { labelSelector: 'app=db' })).items;
  assert.deepEqual(claims.map((c) => c.metadata.name).sort(), ['data-db-0', 'data-db-1']);
  assert.equal(claims[0].spec.resources.requests.storage, '1Gi');
  const pod = await h.client.get(podRef, 'db-1');
  assert.deepEqual(
    pod.spec.volumes.find((v: any) => v.name === 'data'),
    { name: 'data', persistentVolumeClaim: { claimName: 'data-db-1' } },
  );
  assert.deepEqual(await eventMessages(h.client, 'db', 'SuccessfulCreate'), [
    'create Claim data-db-0 Pod db-0 in StatefulSet db success',
    'create Pod db-0 in StatefulSet db successful',
    'create Claim data-db-1 Pod db-1 in StatefulSet db success',
    'create Pod db-1 in StatefulSet db successful',
  ]);
  await h.client.patch(setRef, 'db', { spec: { replicas: 1 } }, 'merge');
  await settled(h, 'db', (p) => names(p) === 'db-0', 'db-1 gone');
  const kept = await h.client.get(claimRef, 'data-db-1');
  assert.equal(kept.metadata.ownerReferences, undefined);
});

it('hands a scaled-down pod its claims when whenScaled is Delete', async () => {
  const claimTemplate = {
    metadata: { name: 'data' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  };
  const policy = { whenScaled: 'Delete', whenDeleted: 'Delete' };
  const set = await h.client.create(
    statefulSet('cache', 2, { volumeClaimTemplates: [claimTemplate], persistentVolumeClaimRetentionPolicy: policy }),
  );
  await statusIs(h.client, 'cache', { readyReplicas: 2 });
  const setOwned = await until(async () => {
    const claim = await h.client.get(claimRef, 'data-cache-1');
    return claim.metadata.ownerReferences?.[0]?.uid === set.metadata.uid && claim;
  }, 'the claim owned by the set');
  assert.equal(setOwned.metadata.ownerReferences!.length, 1);
  h.hold.deletions = true;
  const pod = await h.client.get(podRef, 'cache-1');
  await h.client.patch(setRef, 'cache', { spec: { replicas: 1 } }, 'merge');
  const podOwned = await until(async () => {
    const claim = await h.client.get(claimRef, 'data-cache-1');
    return claim.metadata.ownerReferences?.[0]?.uid === pod.metadata.uid && claim;
  }, 'the claim handed to the condemned pod');
  assert.deepEqual(
    podOwned.metadata.ownerReferences!.map((r) => r.kind),
    ['Pod'],
  );
  await settled(h, 'cache', (p) => names(live(p)) === 'cache-0', 'cache-1 terminating');
  await h.kubelet.finishDeletion(ns, 'cache-1');
  h.hold.deletions = false;
  assert.deepEqual(h.errors, []);
});
