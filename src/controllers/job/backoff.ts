// The back-off between a Job's failed pods and their replacements: per Job, the failures since the last success
// and when the last one finished; the delay is base × 2^(failures-1), capped, counted from that last failure.
import type { KubeObject } from '../../kube/api/types.js';
import { finishedTime } from './pods.js';

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** Kubernetes' DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
export const defaultBackoffMs = 10_000;
export const maxBackoffMs = 360_000;

export class BackoffStore {
  private records = new Map<string, BackoffRecord>();

  get(uid: string): BackoffRecord {
    return this.records.get(uid) ?? { failuresAfterLastSuccess: 0 };
  }

  set(uid: string, record: BackoffRecord): void {
    this.records.set(uid, record);
  }

  delete(uid: string): void {
    this.records.delete(uid);
  }
}

/** The record after newly finished pods: a success clears it unless failures finished after that success. */
export function nextBackoffRecord(
  previous: BackoffRecord,
  newSucceeded: KubeObject[],
  newFailed: KubeObject[],
): BackoffRecord {
  const failedTimes = newFailed.map(finishedTime).sort((a, b) => a - b);
  if (newSucceeded.length === 0) {
    if (failedTimes.length === 0) return previous;
    return {
      failuresAfterLastSuccess: previous.failuresAfterLastSuccess + failedTimes.length,
      lastFailureTime: failedTimes.at(-1),
    };
  }
  const lastSuccess = Math.max(...newSucceeded.map(finishedTime));
  const after = failedTimes.filter((t) => t > lastSuccess);
  return { failuresAfterLastSuccess: after.length, lastFailureTime: after.at(-1) };
}

/** How long until the next pod may be created; 0 when it may be now. */
export function remainingBackoffMs(record: BackoffRecord, nowMs: number, baseMs: number, maxMs: number): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let delay = baseMs;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    delay *= 2;
    if (delay >= maxMs) {
      delay = maxMs;
      break;
    }
  }
  const elapsed = nowMs - record.lastFailureTime;
  return delay < elapsed ? 0 : delay - elapsed;
}
