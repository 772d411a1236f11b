// One pass of a StatefulSet's pods (`updateStatefulSet`): recreate finished pods, create missing ordinals, repair
// identity and storage, delete ordinals beyond the replicas from the highest down, then roll the update from the
// highest ordinal down to the partition. OrderedReady does one step at a time, each after its predecessors are
// Running and Ready; Parallel creates and deletes all at once.
import { ignoreNotFound } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { applyRevision } from '../history/revisions.js';
import { isPodAvailable } from '../replicaset/pods.js';
import {
  claimsFor,
  identityMatches,
  inOrdinalRange,
  newVersionedPod,
  ordinalOf,
  replicasOf,
  revisionOf,
  rollingUpdateOf,
  startOrdinal,
  storageMatches,
} from './identity.js';
import {
  claimsMatchRetention,
  createClaims,
  createStatefulPod,
  deleteStatefulPod,
  setEvent,
  updateClaimsForRetention,
  updateStatefulPod,
} from './pod-control.js';
import type { Revisions } from './revisions.js';
import { countPods, isCreated, isHealthy, isRunningAndReady, isTerminating, type StatefulSetStatus } from './status.js';

export interface Pass {
  client: KubeClient;
  set: KubeObject;
  revisions: Revisions;
  pods: KubeObject[];
  now: number;
}

/** `runForAll`: in order, stopping at the first step that says so; or in batches of 1, 2, 4, … when bursting. */
async function runForAll(count: number, step: (i: number) => Promise<boolean>, monotonic: boolean): Promise<boolean> {
  if (monotonic) {
    for (let i = 0; i < count; i++) if (await step(i)) return true;
    return false;
  }
  for (let next = 0, batch = 1; next < count; batch = Math.min(batch * 2, 500)) {
    const indexes = Array.from({ length: Math.min(batch, count - next) }, (_, k) => next + k);
    next += indexes.length;
    const results = await Promise.allSettled(indexes.map(step));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
  return false;
}

/** `PodClaimIsStale`: a claim still owned by an earlier pod of the same name waits for the collector. */
async function claimIsStale(client: KubeClient, set: KubeObject, pod: KubeObject): Promise<boolean> {
  if ((set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled ?? 'Retain') === 'Retain') return false;
  for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
    const ref = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: set.metadata.namespace };
    const existing = await client.get(ref, claim.metadata.name!).catch(ignoreNotFound);
    const owner = existing?.metadata.ownerReferences?.find(
      (r: any) => r.kind === 'Pod' && r.name === pod.metadata.name,
    );
    if (owner && owner.uid !== pod.metadata.uid) return true;
  }
  return false;
}

export async function updateStatefulSet(p: Pass): Promise<{ status: StatefulSetStatus; error?: unknown }> {
  const { client, set, revisions } = p;
  const currentSet = applyRevision(set, revisions.current);
  const updateSet = applyRevision(set, revisions.update);
  const [currentName, updateName] = [revisions.current.metadata.name!, revisions.update.metadata.name!];
  const minReady = set.spec?.minReadySeconds ?? 0;
  const status = {
    observedGeneration: set.metadata.generation ?? 0,
    currentRevision: currentName,
    updateRevision: updateName,
    collisionCount: revisions.collisionCount,
  } as StatefulSetStatus;
  countPods(status, minReady, p.now, p.pods);
  const start = startOrdinal(set);
  const replicas: KubeObject[] = new Array(replicasOf(set));
  const condemned: KubeObject[] = [];
  for (const pod of p.pods) {
    if (inOrdinalRange(pod, set)) replicas[ordinalOf(pod) - start] = pod;
    else if (ordinalOf(pod) >= 0) condemned.push(pod);
  }
  const fresh = (index: number) => newVersionedPod(currentSet, updateSet, currentName, updateName, start + index);
  for (let i = 0; i < replicas.length; i++) replicas[i] ??= fresh(i);
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  const firstUnhealthy =
    replicas.find((pod) => !isHealthy(pod)) ?? [...condemned].reverse().find((pod) => !isHealthy(pod));
  if (set.metadata.deletionTimestamp) return { status };

  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const available = (pod: KubeObject) => isPodAvailable(pod, minReady, p.now);
  const processReplica = async (i: number): Promise<boolean> => {
    const phase = replicas[i].status?.phase;
    if (phase === 'Failed' || phase === 'Succeeded') {
      const where = `${set.metadata.namespace}/${set.metadata.name}`;
      if (phase === 'Failed') {
        await setEvent(
          client,
          set,
          'Warning',
          'RecreatingFailedPod',
          `StatefulSet ${where} is recreating failed Pod ${replicas[i].metadata.name}`,
        );
      } else {
        await setEvent(
          client,
          set,
          'Normal',
          'RecreatingTerminatedPod',
          `StatefulSet ${where} is recreating terminated Pod ${replicas[i].metadata.name}`,
        );
      }
      await deleteStatefulPod(client, set, replicas[i]);
      replicas[i] = fresh(i);
    }
    if (!isCreated(replicas[i])) {
      if (await claimIsStale(client, set, replicas[i])) return true;
      await createStatefulPod(client, set, replicas[i]);
      if (monotonic) return true;
      return false;
    }
    if (replicas[i].status?.phase === 'Pending') await createClaims(client, set, replicas[i]);
    if (monotonic && (isTerminating(replicas[i]) || !isRunningAndReady(replicas[i]) || !available(replicas[i]))) {
      return true;
    }
    const retentionMatches = await claimsMatchRetention(client, updateSet, replicas[i]).catch(() => true);
    if (identityMatches(set, replicas[i]) && storageMatches(set, replicas[i]) && retentionMatches) return false;
    await updateStatefulPod(client, updateSet, replicas[i]);
    return false;
  };
  const fixClaims = async (i: number): Promise<boolean> => {
    if (!(await claimsMatchRetention(client, updateSet, condemned[i]))) {
      await updateClaimsForRetention(client, updateSet, condemned[i]);
    }
    return false;
  };
  const processCondemned = async (i: number): Promise<boolean> => {
    const pod = condemned[i];
    if (isTerminating(pod)) return monotonic;
    if (monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || !available(pod))) return true;
    await deleteStatefulPod(client, set, pod);
    return true;
  };

  const recount = () => countPods(status, minReady, p.now, replicas, condemned);
  try {
    for (const [count, step] of [
      [replicas.length, processReplica],
      [condemned.length, fixClaims],
      [condemned.length, processCondemned],
    ] as const) {
      if (await runForAll(count, step, monotonic)) {
        recount();
        return { status };
      }
    }
    recount();
    const rolling = rollingUpdateOf(set);
    if ((set.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate' || !rolling) return { status };
    for (let target = replicas.length - 1; target >= rolling.partition; target--) {
      const pod = replicas[target];
      if (revisionOf(pod) !== updateName && !isTerminating(pod)) {
        await deleteStatefulPod(client, set, pod).catch(ignoreNotFound);
        status.currentReplicas--;
        return { status };
      }
      if (!isHealthy(pod)) return { status };
    }
    return { status };
  } catch (error) {
    recount();
    return { status, error };
  }
}
