// When a Job has failed: more failed pods than backoffLimit, container restarts reaching it (restartPolicy
// OnFailure), or active longer than activeDeadlineSeconds; and when that deadline falls.
import type { KubeObject } from '../../kube/api/types.js';

export function exceedsBackoffLimit(job: KubeObject, failed: number): boolean {
  return failed > (job.spec?.backoffLimit ?? 6);
}

/** With restartPolicy OnFailure, the restarts of running and pending pods' containers count as failures. */
export function pastBackoffLimitOnFailure(job: KubeObject, pods: KubeObject[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    if (pod.status?.phase !== 'Running' && pod.status?.phase !== 'Pending') continue;
    for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      restarts += s.restartCount ?? 0;
    }
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Milliseconds until activeDeadlineSeconds passes (≤ 0 once it has); undefined without a deadline or start. */
export function untilActiveDeadlineMs(job: KubeObject, startTime: string | undefined, nowMs: number) {
  const seconds = job.spec?.activeDeadlineSeconds;
  if (seconds === undefined || seconds === null || !startTime || job.spec?.suspend) return undefined;
  return Date.parse(startTime) + seconds * 1000 - nowMs;
}
