// Reconciles one CronJob as Kubernetes 1.32's CronJob controller (v2) does: trims job history, brings
// status.active and lastSuccessfulTime up to date from its Jobs, then — unless suspended or deleted — creates
// the Job for the most recent unmet schedule time within startingDeadlineSeconds, honouring concurrencyPolicy.
import { isDeepStrictEqual } from 'node:util';
import { getIfExists } from '../../client/objects.js';
import { controllerRefOf } from '../../client/owners.js';
import type { ReconcileResult } from '../../client/queue.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { cleanupFinishedJobs } from './history.js';
import {
  deleteJob,
  event,
  finishedType,
  jobFromTemplate,
  jobName,
  jobRef,
  jobReference,
  removeFromActive,
} from './jobs.js';
import { parseSchedule, type Schedule } from './schedule.js';
import { formatRfc1123z, mostRecentScheduleTime, nextScheduleDelayMs } from './times.js';
import { checkZone } from './zone.js';

/** Timers are re-armed at least hourly: a yearly schedule would overflow setTimeout (about 24.8 days at most). */
const maxRequeueMs = 3_600_000;
const cronJobRef = (namespace: string) => ({ apiVersion: 'batch/v1', kind: 'CronJob', namespace });
const unsupportedTz = (schedule: string) =>
  `CRON_TZ or TZ used in schedule ${JSON.stringify(schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`;

export async function reconcileCronJob(
  client: KubeClient,
  namespace: string,
  name: string,
  now: () => number,
): Promise<ReconcileResult> {
  const stored = await getIfExists(client, cronJobRef(namespace), name);
  if (!stored) return {};
  const all = await client.list(jobRef(namespace));
  const jobs = all.items.filter((job) => controllerRefOf(job)?.uid === stored.metadata.uid);
  const cronJob: KubeObject = structuredClone(stored);
  cronJob.status ??= {};
  let syncError: unknown;
  let requeueAfterMs: number | undefined;
  try {
    await cleanupFinishedJobs(client, cronJob, jobs);
    requeueAfterMs = await syncCronJob(client, cronJob, jobs, now());
  } catch (error) {
    syncError = error;
  }
  if (!isDeepStrictEqual(comparable(stored.status), comparable(cronJob.status))) {
    await client.update({ ...cronJob, status: comparable(cronJob.status) }, { subresource: 'status' });
  }
  if (requeueAfterMs !== undefined) return { requeueAfterMs: Math.min(Math.max(0, requeueAfterMs), maxRequeueMs) };
  if (syncError) throw syncError;
  return {};
}

/** Updates cronJob.status in place; returns when to look again. */
async function syncCronJob(client: KubeClient, cronJob: KubeObject, jobs: KubeObject[], nowMs: number) {
  const status = cronJob.status;
  const activeUids = () => new Set((status.active ?? []).map((ref: { uid: string }) => ref.uid));
  for (const job of jobs) {
    const finished = finishedType(job);
    const listed = activeUids().has(job.metadata.uid);
    if (!listed && !finished) {
      await event(
        client,
        cronJob,
        'Warning',
        'UnexpectedJob',
        `Saw a job that the controller did not create or forgot: ${job.metadata.name}`,
      );
    } else if (listed && finished) {
      removeFromActive(cronJob, job.metadata.uid);
      await event(
        client,
        cronJob,
        'Normal',
        'SawCompletedJob',
        `Saw completed job: ${job.metadata.name}, condition: ${finished}`,
      );
    }
    if (finished === 'Complete' && job.status?.completionTime) {
      const last = status.lastSuccessfulTime ? Date.parse(status.lastSuccessfulTime) : -Infinity;
      if (Date.parse(job.status.completionTime) > last) status.lastSuccessfulTime = job.status.completionTime;
    }
  }
  const found = new Set(jobs.map((job) => job.metadata.uid));
  for (const ref of [...(status.active ?? [])]) {
    if (found.has(ref.uid)) continue;
    const gone = await client.get(jobRef(ref.namespace), ref.name).then(
      (job) => job.metadata.uid !== ref.uid,
      (error) => {
        if (error?.code === 404) return true;
        throw error;
      },
    );
    if (!gone) continue;
    await event(client, cronJob, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
    removeFromActive(cronJob, ref.uid);
  }

  if (cronJob.metadata.deletionTimestamp) return undefined;
  const spec = cronJob.spec ?? {};
  if (spec.timeZone != null) {
    try {
      checkZone(spec.timeZone);
    } catch (error: any) {
      await event(
        client,
        cronJob,
        'Warning',
        'UnknownTimeZone',
        `invalid timeZone: ${JSON.stringify(spec.timeZone)}: ${error.message}`,
      );
      return undefined;
    }
  }
  if (spec.suspend) return undefined;
  let schedule: Schedule;
  let text: string = spec.schedule ?? '';
  if (text.includes('TZ')) await event(client, cronJob, 'Warning', 'UnsupportedSchedule', unsupportedTz(text));
  else if (spec.timeZone != null) text = `TZ=${spec.timeZone} ${text}`;
  try {
    schedule = parseSchedule(text);
  } catch (error: any) {
    const message = `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${error.message}`;
    await event(client, cronJob, 'Warning', 'UnparseableSchedule', message);
    return undefined;
  }
  let recent: ReturnType<typeof mostRecentScheduleTime>;
  try {
    recent = mostRecentScheduleTime(cronJob, nowMs, schedule, true);
  } catch (error: any) {
    await event(client, cronJob, 'Warning', 'InvalidSchedule', `invalid schedule: ${spec.schedule} : ${error.message}`);
    return undefined;
  }
  const later = () => nextScheduleDelayMs(cronJob, nowMs, schedule);
  const scheduled = recent.mostRecent;
  if (scheduled === undefined || scheduled > nowMs) return later();
  if (recent.tooMany) {
    const message = 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew';
    await event(client, cronJob, 'Warning', 'TooManyMissedTimes', message);
  }
  if (spec.startingDeadlineSeconds != null && scheduled + spec.startingDeadlineSeconds * 1000 < nowMs) {
    await event(
      client,
      cronJob,
      'Warning',
      'MissSchedule',
      `Missed scheduled time to start a job: ${formatRfc1123z(scheduled)}`,
    );
    return later();
  }
  const name = jobName(cronJob, scheduled);
  const lastSchedule = status.lastScheduleTime ? Date.parse(status.lastScheduleTime) : undefined;
  if ((status.active ?? []).some((ref: { name: string }) => ref.name === name) || lastSchedule === scheduled) {
    return later();
  }
  if (spec.concurrencyPolicy === 'Forbid' && (status.active ?? []).length > 0) {
    const message = 'Not starting job because prior execution is running and concurrency policy is Forbid';
    await event(client, cronJob, 'Normal', 'JobAlreadyActive', message);
    return later();
  }
  if (spec.concurrencyPolicy === 'Replace') {
    for (const ref of [...(status.active ?? [])]) {
      const job = await client.get(jobRef(ref.namespace), ref.name).catch(async (error) => {
        await event(client, cronJob, 'Warning', 'FailedGet', `Get job: ${error?.message ?? error}`);
        throw error;
      });
      if (!(await deleteJob(client, cronJob, job)))
        throw new Error(`could not replace job ${ref.namespace}/${ref.name}`);
    }
  }
  let created: KubeObject;
  try {
    created = await client.create(jobFromTemplate(cronJob, scheduled));
  } catch (error: any) {
    const terminating = error?.details?.causes?.some((c: { reason?: string }) => c.reason === 'NamespaceTerminating');
    if (error?.code !== 409 && !terminating) {
      await event(client, cronJob, 'Warning', 'FailedCreate', `Error creating job: ${error?.message ?? error}`);
    }
    throw error;
  }
  await event(client, cronJob, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
  status.active = [...(status.active ?? []), jobReference(created)];
  status.lastScheduleTime = new Date(scheduled).toISOString().replace(/\.\d+Z$/, 'Z');
  return later();
}

/** The status as stored: an empty active list is left out. */
function comparable(status: any): any {
  const copy = structuredClone(status ?? {});
  if (!copy.active?.length) delete copy.active;
  return copy;
}
