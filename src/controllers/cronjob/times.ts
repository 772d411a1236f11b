// When a CronJob should run, as the CronJob controller (v2) works it out: the most recent unmet schedule time
// since the last one (or creation), bounded by startingDeadlineSeconds; how many were missed; when to look again.
import type { KubeObject } from '../../kube/api/types.js';
import type { Schedule } from './schedule.js';

/** The controller looks again this long after a schedule time, so the time has surely come. */
export const nextScheduleDeltaMs = 100;

export interface RecentSchedule {
  earliest: number;
  /** The most recent schedule time at or before now, if one was missed since `earliest`. */
  mostRecent?: number;
  /** More than 100 were missed. */
  tooMany: boolean;
}

export function mostRecentScheduleTime(
  cronJob: KubeObject,
  nowMs: number,
  schedule: Schedule,
  withStartingDeadline: boolean,
): RecentSchedule {
  const lastScheduleTime = cronJob.status?.lastScheduleTime;
  let earliest = Date.parse(lastScheduleTime ?? cronJob.metadata.creationTimestamp ?? '') || 0;
  const deadline = cronJob.spec?.startingDeadlineSeconds;
  if (withStartingDeadline && deadline !== undefined && deadline !== null) {
    earliest = Math.max(earliest, nowMs - deadline * 1000);
  }
  const t1 = schedule.next(earliest);
  const t2 = schedule.next(t1);
  if (t1 === 0 || nowMs < t1) return { earliest, tooMany: false };
  if (nowMs < t2) return { earliest, mostRecent: t1, tooMany: false };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) throw new Error('time difference between two schedules is less than 1 second');
  const elapsed = Math.floor((nowMs - t1) / 1000);
  const missed = Math.floor(elapsed / between) + 1;
  // Start one interval before the estimate so irregular schedules and @every land on their real times.
  let mostRecent: number | undefined;
  const potentialEarliest = t1 + (missed - 2) * between * 1000;
  for (let t = schedule.next(potentialEarliest); t !== 0 && t <= nowMs; t = schedule.next(t)) mostRecent = t;
  return { earliest, mostRecent, tooMany: missed > 100 };
}

/** How long until the controller should look at the CronJob again. */
export function nextScheduleDelayMs(cronJob: KubeObject, nowMs: number, schedule: Schedule): number | undefined {
  let from: number;
  try {
    const recent = mostRecentScheduleTime(cronJob, nowMs, schedule, false);
    from = recent.mostRecent ?? recent.earliest;
  } catch {
    from = nowMs;
  }
  const next = schedule.next(from);
  if (next === 0) return undefined;
  return next + nextScheduleDeltaMs - nowMs;
}

/** Go's RFC1123Z in UTC: "Mon, 02 Jan 2006 15:04:05 +0000". */
export function formatRfc1123z(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}
