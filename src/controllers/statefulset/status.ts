// A StatefulSet's status: replicas (created pods), ready, available (ready for minReadySeconds), current and updated
// (by revision, not terminating), the two revisions and collisionCount; a finished rolling update makes the
// update revision current. Written only when something differs (`inconsistentStatus`).
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { isPodAvailable, isPodReady } from '../replicaset/pods.js';
import { revisionOf } from './identity.js';

export interface StatefulSetStatus {
  observedGeneration: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

export const isCreated = (pod: KubeObject) => Boolean(pod.status?.phase);
export const isTerminating = (pod: KubeObject) => Boolean(pod.metadata.deletionTimestamp);
export const isRunningAndReady = (pod: KubeObject) => pod.status?.phase === 'Running' && isPodReady(pod);
export const isHealthy = (pod: KubeObject) => isRunningAndReady(pod) && !isTerminating(pod);

/** `updateStatus` over the lists of pods (replicas in range, condemned beyond it). */
export function countPods(status: StatefulSetStatus, minReadySeconds: number, now: number, ...lists: KubeObject[][]) {
  Object.assign(status, {
    replicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
  });
  for (const pod of lists.flat()) {
    if (isCreated(pod)) status.replicas++;
    if (isRunningAndReady(pod)) {
      status.readyReplicas++;
      if (isPodAvailable(pod, minReadySeconds, now)) status.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      if (revisionOf(pod) === status.currentRevision) status.currentReplicas++;
      if (revisionOf(pod) === status.updateRevision) status.updatedReplicas++;
    }
  }
}

/** `completeRollingUpdate`: once every pod is updated and ready, the update revision becomes current. */
function completeRollingUpdate(set: KubeObject, status: StatefulSetStatus): void {
  const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (rolling && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

const compared = [
  'replicas',
  'currentReplicas',
  'readyReplicas',
  'updatedReplicas',
  'currentRevision',
  'availableReplicas',
  'updateRevision',
] as const;

function inconsistent(set: KubeObject, status: StatefulSetStatus): boolean {
  const current = set.status ?? {};
  return (
    status.observedGeneration > (current.observedGeneration ?? 0) ||
    compared.some((k) => (current[k] ?? (typeof status[k] === 'string' ? '' : 0)) !== status[k]) ||
    status.collisionCount !== (current.collisionCount ?? 0)
  );
}

/** `updateStatefulSetStatus`, retrying a lost race against a fresh copy of the set. */
export async function writeStatus(client: KubeClient, set: KubeObject, status: StatefulSetStatus): Promise<void> {
  completeRollingUpdate(set, status);
  if (!inconsistent(set, status)) return;
  let target = set;
  for (let attempt = 0; ; attempt++) {
    try {
      await client.update({ ...target, status: { ...target.status, ...status } }, { subresource: 'status' });
      return;
    } catch (error: any) {
      if (error?.code !== 409 || attempt >= 4) throw error;
      const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: set.metadata.namespace };
      target = await client.get(ref, set.metadata.name!);
    }
  }
}
