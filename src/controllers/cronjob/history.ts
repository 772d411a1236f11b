// A CronJob's job history: beyond successfulJobsHistoryLimit / failedJobsHistoryLimit, the finished Jobs that
// started first (ties by name, never-started last) are deleted, their pods in the background.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { deleteJob, finishedType } from './jobs.js';

/** Returns whether the CronJob's status changed (a deleted Job left the active list). */
export async function cleanupFinishedJobs(
  client: KubeClient,
  cronJob: KubeObject,
  jobs: KubeObject[],
): Promise<boolean> {
  const successLimit = cronJob.spec?.successfulJobsHistoryLimit;
  const failedLimit = cronJob.spec?.failedJobsHistoryLimit;
  if (successLimit == null && failedLimit == null) return false;
  let changed = false;
  if (successLimit != null) {
    const succeeded = jobs.filter((job) => finishedType(job) === 'Complete');
    changed = (await removeOldest(client, cronJob, succeeded, successLimit)) || changed;
  }
  if (failedLimit != null) {
    const failed = jobs.filter((job) => finishedType(job) === 'Failed');
    changed = (await removeOldest(client, cronJob, failed, failedLimit)) || changed;
  }
  return changed;
}

async function removeOldest(client: KubeClient, cronJob: KubeObject, jobs: KubeObject[], keep: number) {
  const excess = jobs.length - keep;
  if (excess <= 0) return false;
  let changed = false;
  for (const job of [...jobs].sort(byStartTime).slice(0, excess)) {
    if (await deleteJob(client, cronJob, job)) changed = true;
  }
  return changed;
}

function byStartTime(a: KubeObject, b: KubeObject): number {
  const startA = a.status?.startTime ? Date.parse(a.status.startTime) : undefined;
  const startB = b.status?.startTime ? Date.parse(b.status.startTime) : undefined;
  if (startA === undefined || startB === undefined) {
    if (startA !== startB) return startA === undefined ? 1 : -1;
  } else if (startA !== startB) return startA - startB;
  return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
}
