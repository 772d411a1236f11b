// Reconciles one StatefulSet (`sync`): adopts orphan revisions, claims the pods named after it, settles the
// current and update revisions, runs one pass over its pods, writes status, and trims revision history.

import { claimObjects } from '../../client/claim.js';
import type { Lister } from '../../client/lister.js';
import type { ReconcileResult } from '../../client/queue.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { requirementsOf } from '../../kube/selectors/labels.js';
import { claimRevisions, sortRevisions } from '../history/revisions.js';
import { isMemberOf, replicasOf } from './identity.js';
import { statefulSetRevisions, truncateHistory } from './revisions.js';
import { writeStatus } from './status.js';
import { updateStatefulSet } from './update.js';

export const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet' };

export async function reconcileStatefulSet(
  client: KubeClient,
  podLister: Lister,
  set: KubeObject,
  now: () => number = Date.now,
): Promise<ReconcileResult> {
  // An empty selector would claim everything; the API refuses it, so there is nothing to retry.
  if (requirementsOf(set.spec?.selector).length === 0) return {};
  const revisions = sortRevisions(await claimRevisions(client, set));
  const pods = await claimObjects(client, set, podLister.claimable(set), { filter: (pod) => isMemberOf(set, pod) });
  const settled = await statefulSetRevisions(client, set, revisions);
  const { status, error } = await updateStatefulSet({ client, set, revisions: settled, pods, now: now() });
  await writeStatus(client, set, status);
  if (error) throw error;
  await truncateHistory(client, set, pods, revisions, settled);
  const minReadySeconds = set.spec?.minReadySeconds ?? 0;
  if (minReadySeconds > 0 && status.availableReplicas !== replicasOf(set)) {
    return { requeueAfterMs: minReadySeconds * 1000 + 50 };
  }
  return {};
}
