// Pods that keep the tracking finalizer with nobody left to count them — no controller, a Job that is gone (or
// was replaced under the same name) or finished — lose the finalizer so they can be deleted (syncOrphanPod).

import { controllerRefOf } from '../../client/owners.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { isJobFinished } from './conditions.js';
import { hasTrackingFinalizer } from './pods.js';
import { removeTrackingFinalizer } from './tracking.js';

export async function releaseOrphanPod(client: KubeClient, namespace: string, name: string): Promise<void> {
  const ref = { apiVersion: 'v1', kind: 'Pod', namespace };
  let pod: KubeObject;
  try {
    pod = await client.get(ref, name);
  } catch (error: any) {
    if (error?.code === 404) return;
    throw error;
  }
  if (!hasTrackingFinalizer(pod)) return;
  const owner = controllerRefOf(pod);
  if (owner) {
    if (owner.kind !== 'Job' || owner.apiVersion !== 'batch/v1') return;
    const job = await client.get({ apiVersion: 'batch/v1', kind: 'Job', namespace }, owner.name).catch((error) => {
      if (error?.code === 404) return undefined;
      throw error;
    });
    if (job && job.metadata.uid === owner.uid && !isJobFinished(job)) return;
  }
  await removeTrackingFinalizer(client, ref, pod);
}
