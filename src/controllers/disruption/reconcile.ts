// Reconciles one PodDisruptionBudget's status (the disruption controller's `sync`): the pods it selects, the
// expected and desired counts, healthy pods, pending evictions; on failure the fail-safe status (no disruption
// allowed, SyncFailed). Events (NoPods, UnmanagedPods, CalculateExpectedPodCountFailed) go with status writes.

import { type EventType, recordEvent } from '../../client/events.js';
import type { Lister } from '../../client/lister.js';
import type { ReconcileResult } from '../../client/queue.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { matchesLabels, requirementsOf } from '../../kube/selectors/labels.js';
import { expectedPodCount } from './scale.js';
import { countHealthy, failSafeStatus, nextStatus, pendingDisruptions } from './status.js';

export const component = 'controllermanager';
export const pdbRef = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' };
const _podRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace });

/** policy/v1: a null selector selects nothing, an empty one every pod of the namespace. */
export function budgetSelects(pdb: KubeObject, pod: KubeObject): boolean {
  const selector = pdb.spec?.selector;
  if (selector == null || pdb.metadata.namespace !== pod.metadata.namespace) return false;
  return matchesLabels(requirementsOf(selector), pod.metadata.labels);
}

interface PendingEvent {
  object: KubeObject;
  type: EventType;
  reason: string;
  message: string;
}

export async function reconcileDisruptionBudget(
  client: KubeClient,
  podLister: Lister,
  pdb: KubeObject,
  now: () => number = Date.now,
): Promise<ReconcileResult> {
  const namespace = pdb.metadata.namespace!;
  const events: PendingEvent[] = [];
  const event = (object: KubeObject, type: EventType, reason: string, message: string) =>
    events.push({ object, type, reason, message });
  let status: Record<string, unknown> | undefined;
  let recheckAt: number | undefined;
  try {
    const pods = podLister.list(namespace).filter((pod) => budgetSelects(pdb, pod));
    if (pods.length === 0) event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    const expected = await expectedPodCount(client, pdb, pods).catch((error) => {
      event(
        pdb,
        'Warning',
        'CalculateExpectedPodCountFailed',
        `Failed to calculate the number of expected pods: ${error.message}`,
      );
      throw error;
    });
    if (expected.unmanaged.length) {
      event(pdb, 'Warning', 'UnmanagedPods', unmanagedMessage(pdb));
    }
    const nowMs = now();
    const pending = pendingDisruptions(pdb, pods, nowMs);
    for (const pod of pending.expired) {
      event(
        pod,
        'Warning',
        'NotDeleted',
        `Pod was expected by PDB ${namespace}/${namespace} to be deleted but it wasn't`,
      );
    }
    recheckAt = pending.recheckAt;
    status = nextStatus(
      pdb,
      {
        currentHealthy: countHealthy(pods, pending.disrupted, nowMs),
        desiredHealthy: expected.desiredHealthy,
        expectedPods: expected.expectedPods,
        disruptedPods: pending.disrupted,
      },
      nowMs,
    );
  } catch (error) {
    status = failSafeStatus(pdb, error, now());
  }
  if (status) {
    await client.update({ ...pdb, status }, { subresource: 'status' });
    for (const e of events) await recordEvent(client, component, e.object, e.type, e.reason, e.message).catch(() => {});
  }
  return recheckAt === undefined ? {} : { requeueAfterMs: Math.max(0, recheckAt - now()) + 50 };
}

/** The UnmanagedPods text, the selector printed as Go prints a *LabelSelector (its generated String()). */
function unmanagedMessage(pdb: KubeObject): string {
  const selector = pdb.spec?.selector ?? {};
  const labels = Object.entries(selector.matchLabels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}: ${v},`)
    .join('');
  const expressions = (selector.matchExpressions ?? [])
    .map(
      (e: any) =>
        `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`,
    )
    .join('');
  const printed = `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
  return (
    `Pods selected by this PodDisruptionBudget (selector: ${printed}) were found to be unmanaged. ` +
    'As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. ' +
    'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.'
  );
}
