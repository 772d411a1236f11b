// Reconciles one ReplicaSet: claims its pods from the shared cache (adopts matching orphans, releases owned pods
// that stopped matching), creates or deletes pods to match spec.replicas, and writes status through the status
// subresource.
import { claimObjects } from '../../client/claim.js';

import { recordEvent } from '../../client/events.js';
import type { Lister } from '../../client/lister.js';
import type { ReconcileResult } from '../../client/queue.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { isPodActive, isPodAvailable, isPodReady, podFromTemplate } from './pods.js';
import { podsToDelete } from './rank.js';
import { type Failure, replicaSetStatus, statusChanged } from './status.js';

export const component = 'replicaset-controller';
/** At most this many pods are created or deleted in one pass (kube-controller-manager's burstReplicas). */
export const burstReplicas = 500;
export const rsRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
const podRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace });

export async function reconcileReplicaSet(
  client: KubeClient,
  podLister: Lister,
  rs: KubeObject,
  now: () => number = Date.now,
  reporter = component,
): Promise<ReconcileResult> {
  const pods = await claimObjects(client, rs, podLister.claimable(rs).filter(isPodActive));
  let manageError: unknown;
  if (!rs.metadata.deletionTimestamp) {
    manageError = await manageReplicas(client, rs, pods, now(), reporter).then(
      () => undefined,
      (error) => error,
    );
  }
  const desired = rs.spec?.replicas ?? 1;
  const diff = pods.length - desired;
  const failure = manageError ? { reason: diff < 0 ? 'FailedCreate' : 'FailedDelete', error: manageError } : undefined;
  const status = replicaSetStatus(rs, pods, now(), failure as Failure | undefined);
  if (statusChanged(rs.status, status)) {
    await client.update({ ...rs, status }, { subresource: 'status' });
  }
  if (manageError) throw manageError;
  return { requeueAfterMs: nextAvailableInMs(rs, pods, now()) };
}

async function manageReplicas(
  client: KubeClient,
  rs: KubeObject,
  pods: KubeObject[],
  nowMs: number,
  reporter: string,
): Promise<void> {
  const diff = pods.length - (rs.spec?.replicas ?? 1);
  if (diff < 0) await createPods(client, rs, Math.min(-diff, burstReplicas), reporter);
  else if (diff > 0) await deletePods(client, rs, podsToDelete(pods, Math.min(diff, burstReplicas), nowMs), reporter);
}

/** Creates in batches of 1, 2, 4, …, stopping at the first batch with a failure (`slowStartBatch`). */
async function createPods(client: KubeClient, rs: KubeObject, count: number, reporter: string): Promise<void> {
  let remaining = count;
  for (let batch = 1; remaining > 0; batch *= 2) {
    const size = Math.min(batch, remaining);
    remaining -= size;
    const results = await Promise.allSettled(Array.from({ length: size }, () => createPod(client, rs, reporter)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

async function createPod(client: KubeClient, rs: KubeObject, reporter: string): Promise<void> {
  try {
    const pod = await client.create(podFromTemplate(rs, rs.spec?.template));
    await event(client, reporter, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  } catch (error: any) {
    const terminating = error?.details?.causes?.some((c: { reason?: string }) => c.reason === 'NamespaceTerminating');
    if (!terminating)
      await event(client, reporter, rs, 'Warning', 'FailedCreate', `Error creating: ${error?.message ?? error}`);
    throw error;
  }
}

async function deletePods(client: KubeClient, rs: KubeObject, pods: KubeObject[], reporter: string): Promise<void> {
  const results = await Promise.allSettled(
    pods.map(async (pod) => {
      const name = pod.metadata.name!;
      try {
        await client.delete(podRef(rs.metadata.namespace!), name);
      } catch (error: any) {
        if (error?.code === 404) return;
        await event(client, reporter, rs, 'Warning', 'FailedDelete', `Error deleting: ${error?.message ?? error}`);
        throw error;
      }
      await event(client, reporter, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function event(
  client: KubeClient,
  reporter: string,
  rs: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
) {
  await recordEvent(client, reporter, rs, type, reason, message).catch(() => {});
}

/** When a ready pod will have been ready for minReadySeconds, so availableReplicas is recounted then. */
function nextAvailableInMs(rs: KubeObject, pods: KubeObject[], nowMs: number): number | undefined {
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  if (!minReadySeconds) return undefined;
  let soonest: number | undefined;
  for (const pod of pods) {
    if (!isPodReady(pod) || isPodAvailable(pod, minReadySeconds, nowMs)) continue;
    const since = Date.parse(
      pod.status.conditions.find((c: { type: string }) => c.type === 'Ready').lastTransitionTime,
    );
    const wait = Math.max(0, since + minReadySeconds * 1000 - nowMs) + 50;
    soonest = soonest === undefined ? wait : Math.min(soonest, wait);
  }
  return soonest;
}
