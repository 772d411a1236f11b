// Pod garbage collection of orphans (kube-controller-manager's pod-garbage-collector, gcOrphaned): a pod bound to
// a node that no longer exists — checked against the API after a quarantine of 40 s, so a node still being created
// is not mistaken — is marked Failed with DisruptionTarget (DeletionByPodGC) and deleted at once.

import { ignoreNotFound, ignoreNotFoundOrConflict, isNotFound } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { withPodCondition } from './pod-conditions.js';

export const orphanQuarantineMs = 40_000;

/** Whether the node is gone from the API itself (the cache may lag behind). */
export async function nodeIsGone(client: KubeClient, name: string): Promise<boolean> {
  try {
    await client.get({ apiVersion: 'v1', kind: 'Node' }, name);
    return false;
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
}

/** markFailedAndDeletePodWithCondition. */
export async function deleteOrphan(client: KubeClient, pod: KubeObject, now: Date): Promise<void> {
  const { namespace, name } = pod.metadata;
  const ref = { apiVersion: 'v1', kind: 'Pod', namespace };
  const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  const conditions = withPodCondition(
    pod.status?.conditions,
    { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' },
    now,
  );
  if (conditions || !terminal) {
    const status: Record<string, unknown> = { conditions: conditions ?? pod.status?.conditions ?? [] };
    if (!terminal) status.phase = 'Failed';
    await client.patch(ref, name!, { status }, 'merge', { subresource: 'status' }).catch(ignoreNotFound);
  }
  await client
    .delete(ref, name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } })
    .catch(ignoreNotFoundOrConflict);
}
