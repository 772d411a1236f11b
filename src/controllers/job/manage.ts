// Creating and deleting a Job's pods: how many should run (parallelism, remaining completions, suspend), which
// indexes need pods, slow-start batches of creations, deletions in Kubernetes' order, and their events.

import { recordEvent } from '../../client/events.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { podsToDelete } from '../replicaset/rank.js';
import { firstPendingIndexes } from './indexes.js';
import { completionIndexOf, onlyReplaceFailedPods, podForJob } from './pods.js';

export const component = 'job-controller';
/** At most this many pods are created or deleted in one sync (MaxPodCreateDeletePerSync). */
export const maxPodCreateDeletePerSync = 500;

export interface ManageInput {
  job: KubeObject;
  active: KubeObject[];
  terminating: number;
  succeeded: number;
  /** Completed indexes (Indexed Jobs). */
  completedIndexes: Set<number>;
  /** Back-off still to wait before creating pods, in ms. */
  backoffMs: number;
  nowMs: number;
}

export interface ManageResult {
  /** Active pods after this pass. */
  active: number;
  requeueAfterMs?: number;
}

export const isIndexed = (job: KubeObject) => job.spec?.completionMode === 'Indexed';

export async function manageJob(client: KubeClient, input: ManageInput): Promise<ManageResult> {
  const { job, active, nowMs } = input;
  if (job.spec?.suspend) {
    return { active: active.length - (await deletePods(client, job, active)) };
  }
  const parallelism = job.spec?.parallelism ?? 1;
  const completions: number | undefined = job.spec?.completions ?? undefined;
  let wantActive: number;
  if (completions === undefined) wantActive = input.succeeded > 0 ? active.length : parallelism;
  else wantActive = Math.max(0, Math.min(completions - input.succeeded, parallelism));

  const surplus = isIndexed(job) ? indexedSurplus(job, active, input.completedIndexes) : [];
  const terminating = onlyReplaceFailedPods(job) ? input.terminating : 0;
  const rest = active.filter((pod) => !surplus.includes(pod));
  const excess = Math.max(0, rest.length + terminating - wantActive);
  const victims = [...surplus, ...podsToDelete(rest, Math.min(excess, rest.length), nowMs)].slice(
    0,
    maxPodCreateDeletePerSync,
  );
  if (victims.length > 0) {
    // Deletions take precedence: a pass either deletes or creates, never both.
    return { active: active.length - (await deletePods(client, job, victims)) };
  }
  if (job.metadata.deletionTimestamp) return { active: active.length };

  let indexes: number[] = [];
  let diff = wantActive - active.length;
  if (isIndexed(job)) {
    const held = new Set(active.map(completionIndexOf).filter((i): i is number => i !== undefined));
    indexes = firstPendingIndexes(completions ?? 0, input.completedIndexes, held, diff);
    diff = indexes.length;
  }
  if (diff <= 0) return { active: active.length };
  if (input.backoffMs > 0) return { active: active.length, requeueAfterMs: input.backoffMs };
  diff = Math.min(diff, maxPodCreateDeletePerSync);
  const created = await createPods(client, job, diff, indexes);
  return { active: active.length + created };
}

/** Active pods of an Indexed Job whose index is malformed, out of range, completed or held by another pod. */
function indexedSurplus(job: KubeObject, active: KubeObject[], completed: Set<number>): KubeObject[] {
  const completions = job.spec?.completions ?? 0;
  const seen = new Set<number>();
  const surplus: KubeObject[] = [];
  const byAge = [...active].sort((a, b) =>
    String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)),
  );
  for (const pod of byAge) {
    const index = completionIndexOf(pod);
    if (index === undefined || index >= completions || completed.has(index) || seen.has(index)) surplus.push(pod);
    else seen.add(index);
  }
  return surplus;
}

/** Creates in batches of 1, 2, 4, …, stopping after a batch with a failure; returns how many were created. */
async function createPods(client: KubeClient, job: KubeObject, count: number, indexes: number[]): Promise<number> {
  let created = 0;
  let remaining = count;
  for (let batch = 1; remaining > 0; batch *= 2) {
    const size = Math.min(batch, remaining);
    remaining -= size;
    const batchIndexes = indexes.splice(0, size);
    const results = await Promise.allSettled(
      Array.from({ length: size }, (_, i) => createPod(client, job, batchIndexes[i])),
    );
    created += results.filter((r) => r.status === 'fulfilled').length;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
  return created;
}

async function createPod(client: KubeClient, job: KubeObject, index: number | undefined): Promise<void> {
  try {
    const pod = await client.create(podForJob(job, index));
    await event(client, job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  } catch (error: any) {
    const terminating = error?.details?.causes?.some((c: { reason?: string }) => c.reason === 'NamespaceTerminating');
    if (!terminating) await event(client, job, 'Warning', 'FailedCreate', `Error creating: ${error?.message ?? error}`);
    throw error;
  }
}

/** Deletes the pods; returns how many are gone or going (a pod already gone counts). */
export async function deletePods(client: KubeClient, job: KubeObject, pods: KubeObject[]): Promise<number> {
  const ref = { apiVersion: 'v1', kind: 'Pod', namespace: job.metadata.namespace };
  const results = await Promise.allSettled(
    pods.map(async (pod) => {
      const name = pod.metadata.name!;
      try {
        await client.delete(ref, name, { preconditions: { uid: pod.metadata.uid } });
      } catch (error: any) {
        if (error?.code === 404) return;
        await event(client, job, 'Warning', 'FailedDelete', `Error deleting: ${error?.message ?? error}`);
        throw error;
      }
      await event(client, job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return pods.length;
}

export async function event(
  client: KubeClient,
  job: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
) {
  await recordEvent(client, component, job, type, reason, message).catch(() => {});
}
