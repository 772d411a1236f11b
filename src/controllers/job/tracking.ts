// Counting finished pods exactly once, as Kubernetes does with the `batch.kubernetes.io/job-tracking` finalizer:
// a finished pod's uid goes into status.uncountedTerminatedPods, the status is written, the finalizer comes off,
// then the uid moves into the succeeded/failed counters. Terminal conditions wait until that is all done.
import { ignoreNotFound } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { type JobCondition, newCondition } from './conditions.js';
import { formatIndexes } from './indexes.js';
import { isIndexed } from './manage.js';
import { completionIndexOf, hasTrackingFinalizer, isPodFailed, isSucceeded, trackingFinalizer } from './pods.js';

export interface TrackInput {
  job: KubeObject;
  /** The status this sync computed (counters, conditions); uncounted pods and conditions are added to it. */
  status: any;
  pods: KubeObject[];
  /** SuccessCriteriaMet, Complete, FailureTarget or Failed when the Job is finishing. */
  finishing?: JobCondition;
  terminating: number;
  completedIndexes: Set<number>;
  /** Whether the status differs from the stored one already. */
  changed: boolean;
  nowMs: number;
}

export interface TrackResult {
  job: KubeObject;
  /** The terminal condition written in this sync, if any. */
  finished?: JobCondition;
}

export async function trackAndFlush(client: KubeClient, input: TrackInput): Promise<TrackResult> {
  const { job, status, pods } = input;
  let finishing = input.finishing;
  const uncountedSucceeded = new Set<string>(status.uncountedTerminatedPods?.succeeded ?? []);
  const uncountedFailed = new Set<string>(status.uncountedTerminatedPods?.failed ?? []);
  const completions: number = job.spec?.completions ?? 0;
  let changed = input.changed;
  const release: KubeObject[] = [];
  for (const pod of pods) {
    if (!hasTrackingFinalizer(pod)) continue;
    const failed = isPodFailed(pod, job);
    if (!pod.metadata.deletionTimestamp && !finishing && !isSucceeded(pod) && !failed) continue;
    release.push(pod);
    const uid = pod.metadata.uid!;
    const index = completionIndexOf(pod);
    if (isSucceeded(pod) && !uncountedFailed.has(uid)) {
      if (isIndexed(job)) {
        if (index !== undefined && index < completions) input.completedIndexes.add(index);
      } else if (!uncountedSucceeded.has(uid)) {
        uncountedSucceeded.add(uid);
        changed = true;
      }
    } else if (failed || (finishing && finishing.type !== 'SuccessCriteriaMet')) {
      const indexOk = !isIndexed(job) || (index !== undefined && index < completions);
      if (!uncountedFailed.has(uid) && indexOk) {
        uncountedFailed.add(uid);
        changed = true;
      }
    }
  }
  if (isIndexed(job)) {
    const text = formatIndexes(input.completedIndexes);
    if (text !== (status.completedIndexes ?? '')) changed = true;
    status.succeeded = input.completedIndexes.size;
    status.completedIndexes = text || undefined;
  }
  status.uncountedTerminatedPods = uncountedStatus(uncountedSucceeded, uncountedFailed);
  status.conditions ??= [];
  if (finishing?.type === 'FailureTarget') {
    status.conditions.push(finishing);
    changed = true;
    finishing = { ...finishing, type: 'Failed' };
  } else if (finishing?.type === 'SuccessCriteriaMet') {
    if (!status.conditions.some((c: JobCondition) => c.type === 'SuccessCriteriaMet')) {
      status.conditions.push(finishing);
      changed = true;
    }
    finishing = newCondition('Complete', finishing.reason!, finishing.message!, input.nowMs);
  }

  let current = job;
  if (changed) current = await writeStatus(client, current, status);
  const released = await removeFinalizers(client, release);
  const withFinalizer = new Set(pods.filter(hasTrackingFinalizer).map((pod) => pod.metadata.uid!));
  for (const uid of released) withFinalizer.delete(uid);
  let counted = false;
  for (const uid of uncountedSucceeded) {
    if (withFinalizer.has(uid)) continue;
    uncountedSucceeded.delete(uid);
    status.succeeded = (status.succeeded ?? 0) + 1;
    counted = true;
  }
  for (const uid of uncountedFailed) {
    if (withFinalizer.has(uid)) continue;
    uncountedFailed.delete(uid);
    status.failed = (status.failed ?? 0) + 1;
    counted = true;
  }
  status.uncountedTerminatedPods = uncountedStatus(uncountedSucceeded, uncountedFailed);
  const done = finishing && uncountedSucceeded.size + uncountedFailed.size === 0 && input.terminating === 0;
  if (done) {
    status.conditions = status.conditions.filter((c: JobCondition) => c.type !== finishing!.type);
    status.conditions.push(finishing);
    if (finishing!.type === 'Complete') status.completionTime = finishing!.lastTransitionTime;
  }
  if (!status.conditions.length) delete status.conditions;
  if (counted || done) current = await writeStatus(client, current, status);
  return { job: current, finished: done ? finishing : undefined };
}

function uncountedStatus(succeeded: Set<string>, failed: Set<string>) {
  return {
    ...(succeeded.size ? { succeeded: [...succeeded] } : {}),
    ...(failed.size ? { failed: [...failed] } : {}),
  };
}

/** Writes the status, leaving out zero counters as the API's omitempty fields do. */
async function writeStatus(client: KubeClient, job: KubeObject, status: any): Promise<KubeObject> {
  const next = structuredClone(status);
  for (const field of ['active', 'succeeded', 'failed']) if (!next[field]) delete next[field];
  for (const field of Object.keys(next)) if (next[field] === undefined) delete next[field];
  if (next.conditions?.length === 0) delete next.conditions;
  return client.update({ ...job, status: next }, { subresource: 'status' });
}

/** Removes the tracking finalizer; returns the uids now without it (a pod already gone counts). */
async function removeFinalizers(client: KubeClient, pods: KubeObject[]): Promise<string[]> {
  const ref = { apiVersion: 'v1', kind: 'Pod', namespace: pods[0]?.metadata.namespace };
  const results = await Promise.allSettled(pods.map((pod) => removeTrackingFinalizer(client, ref, pod)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const released = pods.filter((_, i) => results[i].status === 'fulfilled').map((pod) => pod.metadata.uid!);
  if (failed && released.length === 0) throw failed.reason;
  return released;
}

export async function removeTrackingFinalizer(
  client: KubeClient,
  ref: { apiVersion: string; kind: string; namespace?: string },
  pod: KubeObject,
): Promise<void> {
  const patch = { metadata: { '$deleteFromPrimitiveList/finalizers': [trackingFinalizer] } };
  await client.patch(ref, pod.metadata.name!, patch, 'strategic').catch(ignoreNotFound);
}
