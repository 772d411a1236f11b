// Reconciles one DaemonSet (`syncDaemonSet`): claims its pods, builds its revision history, makes sure each
// eligible node has one daemon pod (and no other node has one), rolls out template changes by its update
// strategy, trims history, and writes status through the status subresource.

import { claimObjects } from '../../client/claim.js';
import type { Lister } from '../../client/lister.js';
import { getIfExists } from '../../client/objects.js';
import type { ReconcileResult } from '../../client/queue.js';
import type { KubeClient } from '../../kube/client/types.js';
import { requirementsOf } from '../../kube/selectors/labels.js';
import { FailedPodBackoff } from './backoff.js';
import { cleanupHistory, constructHistory } from './history.js';
import { managePlan, nodesToDaemonPods } from './manage.js';
import { rollingUpdatePlan } from './rollout.js';
import { daemonSetCounts, storeStatus } from './status.js';
import { event, syncNodes } from './sync-nodes.js';

const dsRef = (namespace: string) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace });

/** The shared caches a DaemonSet's reconcile reads. */
export interface DaemonSetListers {
  pods: Lister;
  nodes: Lister;
}

export async function reconcileDaemonSet(
  client: KubeClient,
  listers: DaemonSetListers,
  namespace: string,
  name: string,
  backoff: FailedPodBackoff = new FailedPodBackoff(),
  now: () => number = Date.now,
): Promise<ReconcileResult> {
  const ds = await getIfExists(client, dsRef(namespace), name);
  if (!ds) return {};
  if (requirementsOf(ds.spec?.selector).length === 0) {
    const message = 'This daemon set is selecting all pods. A non-empty selector is required.';
    await event(client, ds, 'Warning', 'SelectingAll', message);
    return {};
  }
  // Its revisions may already be gone or orphaned, so the status of a DaemonSet being deleted is left alone.
  if (ds.metadata.deletionTimestamp) return {};
  const nodes = listers.nodes.list();
  const pods = await claimObjects(client, ds, listers.pods.claimable(ds));
  const { old, hash } = await constructHistory(client, ds, pods);
  let retryAfterMs: number | undefined;
  let syncError: unknown;
  try {
    const plan = managePlan({ ds, nodes, byNode: nodesToDaemonPods(pods), hash, now: now(), backoff });
    retryAfterMs = plan.retryAfterMs;
    for (const { pod, node } of plan.failed) {
      const message = `Found failed daemon pod ${namespace}/${pod.metadata.name} on node ${node}, will try to kill it`;
      await event(client, ds, 'Warning', 'FailedDaemonPod', message);
    }
    await syncNodes(client, ds, plan.delete, plan.create, hash);
    // Like the expectations Kubernetes keeps: roll out only once the pods this pass asked for are in place.
    const settled = plan.create.length === 0 && plan.delete.length === 0;
    if (settled && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const step = rollingUpdatePlan({ ds, nodes, byNode: nodesToDaemonPods(pods), hash, now: now() });
      await syncNodes(client, ds, step.delete, step.create, hash);
    }
    await cleanupHistory(client, ds, old, pods);
  } catch (error) {
    syncError = error;
  }
  const counts = daemonSetCounts(ds, nodes, nodesToDaemonPods(pods), hash, now());
  await storeStatus(client, ds, counts, true);
  if (syncError) throw syncError;
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  if (minReadySeconds > 0 && counts.numberReady !== counts.numberAvailable) {
    const wait = minReadySeconds * 1000 + 50;
    retryAfterMs = Math.min(retryAfterMs ?? wait, wait);
  }
  return retryAfterMs === undefined ? {} : { requeueAfterMs: retryAfterMs };
}
