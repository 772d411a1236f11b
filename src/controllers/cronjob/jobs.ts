// The Jobs a CronJob makes and keeps track of: the Job for a schedule time (`<cronjob>-<minutes since epoch>`,
// the scheduled-timestamp annotation, a controller reference), references in status.active, and deletion.

import { recordEvent } from '../../client/events.js';
import { controllerRefTo } from '../../client/owners.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { formatRfc3339 } from './zone.js';

export const component = 'cronjob-controller';
export const scheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
export const jobRef = (namespace?: string) => ({ apiVersion: 'batch/v1', kind: 'Job', namespace });

export const jobName = (cronJob: KubeObject, scheduledMs: number) =>
  `${cronJob.metadata.name}-${Math.floor(scheduledMs / 60_000)}`;

export function jobFromTemplate(cronJob: KubeObject, scheduledMs: number): KubeObject {
  const template = cronJob.spec?.jobTemplate ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cronJob, scheduledMs),
      namespace: cronJob.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      annotations: {
        ...(template.metadata?.annotations ?? {}),
        [scheduledTimestampAnnotation]: formatRfc3339(scheduledMs, cronJob.spec?.timeZone ?? ''),
      },
      ownerReferences: [controllerRefTo(cronJob)],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}

/** `Complete` or `Failed` once the Job has finished. */
export function finishedType(job: KubeObject): 'Complete' | 'Failed' | undefined {
  const done = (job.status?.conditions ?? []).find(
    (c: { type: string; status: string }) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  return done?.type;
}

export function jobReference(job: KubeObject) {
  const { name, namespace, uid, resourceVersion } = job.metadata;
  return { kind: 'Job', namespace, name, uid, apiVersion: 'batch/v1', resourceVersion };
}

export function removeFromActive(cronJob: KubeObject, uid: string | undefined): void {
  cronJob.status ??= {};
  cronJob.status.active = (cronJob.status.active ?? []).filter((ref: { uid: string }) => ref.uid !== uid);
}

/** Deletes the Job (its pods in the background) and drops it from the active list; false on failure. */
export async function deleteJob(client: KubeClient, cronJob: KubeObject, job: KubeObject): Promise<boolean> {
  try {
    await client.delete(jobRef(job.metadata.namespace), job.metadata.name!, { propagationPolicy: 'Background' });
  } catch (error: any) {
    if (error?.code !== 404) {
      await event(client, cronJob, 'Warning', 'FailedDelete', `Deleted job: ${error?.message ?? error}`);
      return false;
    }
  }
  removeFromActive(cronJob, job.metadata.uid);
  await event(client, cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
  return true;
}

export async function event(
  client: KubeClient,
  cronJob: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): Promise<void> {
  await recordEvent(client, component, cronJob, type, reason, message).catch(() => {});
}
