// Reconciles one Job as Kubernetes 1.32's syncJob does: counts its pods, decides whether it has failed (backoff
// limit, deadline) or succeeded, deletes or creates pods (parallelism, completions, back-off, suspend), then
// writes status and conditions through the tracking-finalizer flush. Finished pods are left where they are.
import { isDeepStrictEqual } from 'node:util';
import type { Lister } from '../../client/lister.js';
import { getIfExists } from '../../client/objects.js';
import type { ReconcileResult } from '../../client/queue.js';
import type { KubeClient } from '../../kube/client/types.js';
import { type BackoffStore, nextBackoffRecord, remainingBackoffMs } from './backoff.js';
import { claimPods } from './claim.js';
import {
  backoffLimitExceeded,
  completionsReached,
  deadlineExceeded,
  ensureConditionStatus,
  findCondition,
  isJobFinished,
  type JobCondition,
  newCondition,
  timestamp,
} from './conditions.js';
import { parseIndexes } from './indexes.js';
import { exceedsBackoffLimit, pastBackoffLimitOnFailure, untilActiveDeadlineMs } from './limits.js';
import { deletePods, event, isIndexed, manageJob } from './manage.js';
import {
  completionIndexOf,
  hasTrackingFinalizer,
  isActive,
  isPodFailed,
  isReady,
  isSucceeded,
  isTerminating,
} from './pods.js';
import { removeTrackingFinalizer, trackAndFlush } from './tracking.js';

export interface JobSyncOptions {
  /** The shared pod cache. */
  pods: Lister;
  now: () => number;
  backoffs: BackoffStore;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** Timers are re-armed at least hourly: long deadlines would overflow setTimeout (about 24.8 days at most). */
const maxRequeueMs = 3_600_000;
const jobRef = (namespace: string) => ({ apiVersion: 'batch/v1', kind: 'Job', namespace });
const podRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace });

export async function reconcileJob(
  client: KubeClient,
  namespace: string,
  name: string,
  options: JobSyncOptions,
): Promise<ReconcileResult> {
  const job = await getIfExists(client, jobRef(namespace), name);
  if (!job) return {};
  const uid = job.metadata.uid!;
  const pods = await claimPods(client, options.pods, job);
  if (isJobFinished(job)) {
    options.backoffs.delete(uid);
    for (const pod of pods.filter(hasTrackingFinalizer)) await removeTrackingFinalizer(client, podRef(namespace), pod);
    return {};
  }
  const nowMs = options.now();
  const status = structuredClone(job.status ?? {});
  const suspended = Boolean(job.spec?.suspend);
  if (!status.startTime && !suspended) status.startTime = timestamp(nowMs);

  const uncounted = new Set<string>([
    ...(status.uncountedTerminatedPods?.succeeded ?? []),
    ...(status.uncountedTerminatedPods?.failed ?? []),
  ]);
  const fresh = pods.filter((pod) => hasTrackingFinalizer(pod) && !uncounted.has(pod.metadata.uid!));
  const newSucceeded = fresh.filter(isSucceeded);
  const newFailed = fresh.filter((pod) => !isSucceeded(pod) && isPodFailed(pod, job));
  const completions: number | undefined = job.spec?.completions ?? undefined;
  const completedIndexes = parseIndexes(status.completedIndexes, completions ?? 0);
  if (isIndexed(job)) {
    for (const index of newSucceeded.map(completionIndexOf)) {
      if (index !== undefined && index < (completions ?? 0)) completedIndexes.add(index);
    }
  }
  const succeeded = isIndexed(job)
    ? completedIndexes.size
    : (status.succeeded ?? 0) + newSucceeded.length + (status.uncountedTerminatedPods?.succeeded?.length ?? 0);
  const failed = (status.failed ?? 0) + newFailed.length + (status.uncountedTerminatedPods?.failed?.length ?? 0);
  const backoff = nextBackoffRecord(options.backoffs.get(uid), newSucceeded, newFailed);

  const active = pods.filter(isActive);
  let activeCount = active.length;
  let terminating = pods.filter(isTerminating).length;
  let requeueAfterMs: number | undefined;
  let manageError: unknown;
  const failureTarget = findCondition(job, 'FailureTarget');
  const successMet = findCondition(job, 'SuccessCriteriaMet');
  let finishing: JobCondition | undefined;
  if (failureTarget) finishing = newCondition('Failed', failureTarget.reason!, failureTarget.message!, nowMs);
  else if (successMet) finishing = newCondition('Complete', successMet.reason!, successMet.message!, nowMs);
  else if (exceedsBackoffLimit(job, failed) || pastBackoffLimitOnFailure(job, pods)) {
    finishing = newCondition('FailureTarget', backoffLimitExceeded.reason, backoffLimitExceeded.message, nowMs);
  } else {
    const untilDeadline = untilActiveDeadlineMs(job, status.startTime, nowMs);
    if (untilDeadline !== undefined && untilDeadline <= 0) {
      finishing = newCondition('FailureTarget', deadlineExceeded.reason, deadlineExceeded.message, nowMs);
    } else if (untilDeadline !== undefined) requeueAfterMs = untilDeadline;
  }

  if (finishing) {
    try {
      const deleted = await deletePods(client, job, active);
      activeCount -= deleted;
      terminating += deleted;
    } catch (error) {
      manageError = error;
      finishing = undefined;
    }
  } else if (!job.metadata.deletionTimestamp) {
    try {
      const backoffMs = remainingBackoffMs(backoff, nowMs, options.backoffBaseMs, options.backoffMaxMs);
      const input = { job, active, terminating, succeeded, completedIndexes, backoffMs, nowMs };
      const result = await manageJob(client, input);
      terminating += Math.max(0, activeCount - result.active);
      activeCount = result.active;
      if (result.requeueAfterMs !== undefined)
        requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, result.requeueAfterMs);
    } catch (error) {
      manageError = error;
    }
    const complete =
      completions === undefined ? succeeded > 0 && activeCount === 0 : succeeded >= completions && activeCount === 0;
    if (complete) {
      finishing = newCondition('SuccessCriteriaMet', completionsReached.reason, completionsReached.message, nowMs);
    } else {
      const [reason, message] = suspended ? ['JobSuspended', 'Job suspended'] : ['JobResumed', 'Job resumed'];
      const [conditions, changed] = ensureConditionStatus(
        status.conditions ?? [],
        'Suspended',
        suspended ? 'True' : 'False',
        reason,
        message,
        nowMs,
      );
      if (changed) {
        status.conditions = conditions;
        await event(client, job, 'Normal', suspended ? 'Suspended' : 'Resumed', message);
        // The deadline counts only time spent running: suspending clears startTime, resuming restarts it.
        if (suspended) delete status.startTime;
        else status.startTime = timestamp(nowMs);
      }
    }
  }

  status.active = activeCount;
  status.ready = active.filter(isReady).length;
  status.terminating = terminating;
  const changed = !isDeepStrictEqual(comparable(job.status), comparable(status));
  const tracked = await trackAndFlush(client, {
    job,
    status,
    pods,
    finishing,
    terminating,
    completedIndexes,
    changed,
    nowMs,
  });
  options.backoffs.set(uid, backoff);
  if (tracked.finished) {
    options.backoffs.delete(uid);
    if (tracked.finished.type === 'Complete') await event(client, job, 'Normal', 'Completed', 'Job completed');
    else await event(client, job, 'Warning', tracked.finished.reason!, tracked.finished.message!);
  }
  if (manageError) throw manageError;
  if (requeueAfterMs === undefined) return {};
  return { requeueAfterMs: Math.min(Math.max(0, requeueAfterMs) + 10, maxRequeueMs) };
}

/** A status with omitted zero counters, so a stored status and a computed one compare equal. */
function comparable(status: any): any {
  const copy = structuredClone(status ?? {});
  for (const field of ['active', 'succeeded', 'failed']) if (!copy[field]) delete copy[field];
  for (const field of Object.keys(copy)) if (copy[field] === undefined) delete copy[field];
  if (copy.conditions?.length === 0) delete copy.conditions;
  return copy;
}
