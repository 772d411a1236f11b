// The taint manager (kube-controller-manager's taint-eviction-controller): a pod on a node with NoExecute taints it
// does not all tolerate is deleted at once; one that tolerates them all is deleted when the shortest
// tolerationSeconds of the tolerations used has passed (counted from when the taint came, or the pod if later);
// tolerations without seconds keep it forever. Deleting first marks the pod DisruptionTarget as kube does.

import { recordEvent } from '../../client/events.js';
import { ignoreNotFound, ignoreNotFoundOrConflict } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { tolerates } from '../../scheduler/predicates/taints.js';
import { withPodCondition } from './pod-conditions.js';
import type { NodeTaint } from './taints.js';

export const taintManagerComponent = 'taint-eviction-controller';

/** When the pod is due for deletion (epoch ms), or undefined if its tolerations keep it on the node forever. */
export function evictionTime(pod: KubeObject, taints: NodeTaint[] | undefined, now: number): number | undefined {
  const noExecute = (taints ?? []).filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return undefined;
  const tolerations: any[] = pod.spec?.tolerations ?? [];
  const used: any[] = [];
  for (const taint of noExecute) {
    const toleration = tolerations.find((t) => tolerates(t, taint));
    if (!toleration) return now;
    used.push(toleration);
  }
  const seconds = used
    .filter((t) => typeof t.tolerationSeconds === 'number')
    .map((t) => Math.max(0, t.tolerationSeconds));
  if (seconds.length === 0) return undefined;
  const tainted = Math.min(...noExecute.map((t) => Date.parse(t.timeAdded ?? '') || now));
  const created = Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
  return Math.max(tainted, created) + Math.min(...seconds) * 1000;
}

/** addConditionAndDeletePod: DisruptionTarget (DeletionByTaintManager) on the pod's status, then the delete. */
export async function evictPod(client: KubeClient, pod: KubeObject): Promise<void> {
  const { namespace, name } = pod.metadata;
  const ref = { apiVersion: 'v1', kind: 'Pod', namespace };
  await recordEvent(
    client,
    taintManagerComponent,
    pod,
    'Normal',
    'TaintManagerEviction',
    `Marking for deletion Pod ${namespace}/${name}`,
  ).catch(() => undefined);
  const conditions = withPodCondition(pod.status?.conditions, {
    type: 'DisruptionTarget',
    status: 'True',
    reason: 'DeletionByTaintManager',
    message: 'Taint manager: deleting due to NoExecute taint',
  });
  if (conditions) {
    await client
      .patch(ref, name!, { status: { conditions } }, 'strategic', { subresource: 'status' })
      .catch(ignoreNotFound);
  }
  await client.delete(ref, name!, { preconditions: { uid: pod.metadata.uid } }).catch(ignoreNotFoundOrConflict);
}
