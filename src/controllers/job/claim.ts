// The pods a Job owns: those its selector matches that name it as controller, after adopting matching orphans
// (as ClaimPods does) while the Job is neither finished nor being deleted.

import { controllerRefOf, controllerRefTo } from '../../client/owners.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { formatLabelSelector, requirementsOf } from '../../kube/selectors/labels.js';
import { isJobFinished } from './conditions.js';

export async function claimPods(client: KubeClient, job: KubeObject): Promise<KubeObject[]> {
  if (requirementsOf(job.spec?.selector).length === 0) return [];
  const ref = { apiVersion: 'v1', kind: 'Pod', namespace: job.metadata.namespace };
  const list = await client.list(ref, { labelSelector: formatLabelSelector(job.spec.selector) });
  const owned: KubeObject[] = [];
  const canAdopt = !job.metadata.deletionTimestamp && !isJobFinished(job);
  for (const pod of list.items) {
    const owner = controllerRefOf(pod);
    if (owner) {
      if (owner.uid === job.metadata.uid) owned.push(pod);
      continue;
    }
    if (!canAdopt || pod.metadata.deletionTimestamp) continue;
    const ownerReferences = [...(pod.metadata.ownerReferences ?? []), controllerRefTo(job)];
    try {
      owned.push(await client.update({ ...pod, metadata: { ...pod.metadata, ownerReferences } }));
    } catch (error: any) {
      if (error?.code !== 404 && error?.code !== 409) throw error;
    }
  }
  return owned;
}
