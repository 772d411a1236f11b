// Draining a node-group node before its instance goes, as EKS does on scale-in and node group deletion: cordon,
// evict every pod but DaemonSet and finished ones (retrying while a disruption budget refuses, for at most
// 15 minutes, then deleting), wait for them to go, force-delete pods whose grace ran out, then delete the Node
// and force-delete what was left bound to it (DaemonSet and finished pods), as the pod garbage collector would.
import { ignoreNotFound } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';

/** EKS gives up on evictions a disruption budget blocks after 15 minutes and terminates the instance. */
export const evictionTimeoutMs = 15 * 60 * 1000;
/** A pod still there this long after its deletion deadline has no kubelet to finish it: it is force-deleted. */
export const lingerMs = 5000;
export const retryMs = 1000;

const nodeRef = { apiVersion: 'v1', kind: 'Node' };
const podRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace });

function isDaemonSetPod(pod: KubeObject): boolean {
  return (pod.metadata.ownerReferences ?? []).some((r) => r.controller && r.kind === 'DaemonSet');
}

function isFinished(pod: KubeObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * One step of draining `node`, begun at `startedAt`. Returns the delay before the next step, or undefined once the
 * Node is deleted.
 */
export async function drainNode(
  client: KubeClient,
  node: KubeObject,
  startedAt: number,
  now: number,
): Promise<number | undefined> {
  const name = node.metadata.name!;
  if (!node.spec?.unschedulable) {
    await client.patch(nodeRef, name, { spec: { unschedulable: true } }, 'strategic').catch(ignoreNotFound);
  }
  const { items } = await client.list(podRef(''), { fieldSelector: `spec.nodeName=${name}` });
  let waiting = false;
  let wait = retryMs;
  for (const pod of items) {
    if (isDaemonSetPod(pod) || isFinished(pod)) continue;
    const ref = podRef(pod.metadata.namespace!);
    const podName = pod.metadata.name!;
    waiting = true;
    if (pod.metadata.deletionTimestamp) {
      const deadline = Date.parse(pod.metadata.deletionTimestamp) + lingerMs;
      if (now >= deadline) await client.delete(ref, podName, { gracePeriodSeconds: 0 }).catch(ignoreNotFound);
      else wait = Math.min(wait, Math.max(10, deadline - now));
      continue;
    }
    if (now - startedAt >= evictionTimeoutMs) {
      await client.delete(ref, podName).catch(ignoreNotFound);
      continue;
    }
    try {
      await client.createSubresource(ref, podName, 'eviction', {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: podName, namespace: pod.metadata.namespace },
      });
    } catch (error: any) {
      // 429: a disruption budget allows no disruption now; try again shortly.
      if (error?.code !== 429 && error?.code !== 404) throw error;
      if (error?.code === 429) wait = Math.max(wait, 5000);
    }
  }
  if (waiting) return wait;
  await client.delete(nodeRef, name).catch(ignoreNotFound);
  // What Kubernetes' pod garbage collector does for pods left bound to a Node that no longer exists.
  for (const pod of items) {
    await client
      .delete(podRef(pod.metadata.namespace!), pod.metadata.name!, { gracePeriodSeconds: 0 })
      .catch(ignoreNotFound);
  }
  return undefined;
}
