// Job conditions as the Kubernetes 1.32 Job controller writes them: the interim SuccessCriteriaMet and
// FailureTarget, the terminal Complete and Failed, Suspended; and what they say about a Job.
import type { KubeObject } from '../../kube/api/types.js';

export interface JobCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime: string;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

export const backoffLimitExceeded = {
  reason: 'BackoffLimitExceeded',
  message: 'Job has reached the specified backoff limit',
};
export const deadlineExceeded = {
  reason: 'DeadlineExceeded',
  message: 'Job was active longer than specified deadline',
};
export const completionsReached = {
  reason: 'CompletionsReached',
  message: 'Reached expected number of succeeded pods',
};

export const timestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function newCondition(type: string, reason: string, message: string, nowMs: number): JobCondition {
  const now = timestamp(nowMs);
  return { type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason, message };
}

export function findCondition(job: KubeObject, type: string): JobCondition | undefined {
  return (job.status?.conditions ?? []).find((c: JobCondition) => c.type === type && c.status === 'True');
}

/** Complete or Failed is True: the Job is done and nothing more happens to it but its TTL. */
export function finishedConditionOf(job: KubeObject): JobCondition | undefined {
  return findCondition(job, 'Complete') ?? findCondition(job, 'Failed');
}

export const isJobFinished = (job: KubeObject) => finishedConditionOf(job) !== undefined;

/**
 * `ensureJobConditionStatus`: a condition of that type whose status, reason or message differ is replaced by a
 * new one (times now); a missing one is appended unless it would be False. Returns the list and whether it changed.
 */
export function ensureConditionStatus(
  conditions: JobCondition[],
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  nowMs: number,
): [JobCondition[], boolean] {
  const replacement = { ...newCondition(type, reason, message, nowMs), status };
  const existing = conditions.find((c) => c.type === type);
  if (!existing) return status === 'False' ? [conditions, false] : [[...conditions, replacement], true];
  if (existing.status === status && existing.reason === reason && existing.message === message) {
    return [conditions, false];
  }
  return [conditions.map((c) => (c === existing ? replacement : c)), true];
}
