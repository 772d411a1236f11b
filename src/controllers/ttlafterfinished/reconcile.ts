// Deletes one finished Job once ttlSecondsAfterFinished has passed since its Complete or Failed condition, with
// Foreground propagation and a uid precondition as Kubernetes does; until then it asks to be looked at again.

import { getIfExists } from '../../client/objects.js';
import type { ReconcileResult } from '../../client/queue.js';
import { ignoreNotFoundOrConflict } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';

/** Timers are re-armed at least hourly: long TTLs would overflow setTimeout (about 24.8 days at most). */
const maxRequeueMs = 3_600_000;
const jobRef = (namespace: string) => ({ apiVersion: 'batch/v1', kind: 'Job', namespace });

/** When the Job expires (ms since the epoch), or undefined when it has no TTL, is not finished or is going. */
export function expiresAt(job: KubeObject): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp) return undefined;
  const finished = (job.status?.conditions ?? []).find(
    (c: { type: string; status: string }) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  if (!finished?.lastTransitionTime) return undefined;
  return Date.parse(finished.lastTransitionTime) + ttl * 1000;
}

export async function reconcileFinishedJob(
  client: KubeClient,
  namespace: string,
  name: string,
  now: () => number,
): Promise<ReconcileResult> {
  const job = await getIfExists(client, jobRef(namespace), name);
  if (!job) return {};
  const expiry = expiresAt(job);
  if (expiry === undefined) return {};
  const remaining = expiry - now();
  if (remaining > 0) return { requeueAfterMs: Math.min(remaining + 10, maxRequeueMs) };
  await client
    .delete(jobRef(namespace), name, { propagationPolicy: 'Foreground', preconditions: { uid: job.metadata.uid } })
    .catch(ignoreNotFoundOrConflict);
  return {};
}
