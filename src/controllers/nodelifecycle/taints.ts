// The taints the node lifecycle controller owns, from the node's conditions (doNoScheduleTaintingPass and
// doNoExecuteTaintingPass): NoSchedule for not-ready, unreachable, the pressures, network-unavailable and a cordoned
// node; NoExecute not-ready (Ready=False) or unreachable (Ready=Unknown) with the time it was added, which the
// taint manager counts tolerationSeconds from. Taints of other owners are kept as they are.
import type { KubeObject } from '../../kube/api/types.js';
import type { Taint } from '../../scheduler/predicates/taints.js';
import { readyCondition } from './health.js';

export interface NodeTaint extends Taint {
  timeAdded?: string;
}

export const notReadyKey = 'node.kubernetes.io/not-ready';
export const unreachableKey = 'node.kubernetes.io/unreachable';

/** nodeConditionToTaintKeyStatusMap, and spec.unschedulable's taint. */
const noScheduleFromCondition: Record<string, Record<string, string>> = {
  Ready: { False: notReadyKey, Unknown: unreachableKey },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const unschedulableKey = 'node.kubernetes.io/unschedulable';

const ownedNoScheduleKeys = new Set([
  ...Object.values(noScheduleFromCondition).flatMap((byStatus) => Object.values(byStatus)),
  unschedulableKey,
]);
const ownedNoExecuteKeys = new Set([notReadyKey, unreachableKey]);

const owned = (taint: NodeTaint) =>
  (taint.effect === 'NoSchedule' && ownedNoScheduleKeys.has(taint.key)) ||
  (taint.effect === 'NoExecute' && ownedNoExecuteKeys.has(taint.key));

/** The NoSchedule taints the node's conditions and spec call for. */
function noScheduleTaints(node: KubeObject): NodeTaint[] {
  const taints: NodeTaint[] = [];
  for (const condition of node.status?.conditions ?? []) {
    const key = noScheduleFromCondition[condition?.type]?.[condition?.status];
    if (key && !taints.some((t) => t.key === key)) taints.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) taints.push({ key: unschedulableKey, effect: 'NoSchedule' });
  return taints;
}

/** The NoExecute taint key for the node's Ready status (none when Ready). */
export function noExecuteKeyFor(node: KubeObject): string | undefined {
  const ready = readyCondition(node)?.status;
  if (ready === 'False') return notReadyKey;
  if (ready === 'Unknown') return unreachableKey;
  return undefined;
}

/**
 * The node's taints with the controller's brought in line: `noExecute` says whether the NoExecute taint may be set
 * now (the zone's eviction limiter allows it) — when false an existing one is kept, a missing one not added — and
 * `disrupted` (every zone fully disrupted) removes them. Undefined when nothing changes.
 */
export function desiredTaints(
  node: KubeObject,
  nowTime: string,
  noExecute: { allowed: boolean; disrupted: boolean },
): NodeTaint[] | undefined {
  const current: NodeTaint[] = node.spec?.taints ?? [];
  const wantedNoSchedule = noScheduleTaints(node);
  const wantedKey = noExecute.disrupted ? undefined : noExecuteKeyFor(node);
  const next: NodeTaint[] = [];
  for (const taint of current) {
    if (!owned(taint)) next.push(taint);
    else if (taint.effect === 'NoSchedule' && wantedNoSchedule.some((t) => t.key === taint.key)) next.push(taint);
    else if (taint.effect === 'NoExecute' && taint.key === wantedKey) next.push(taint);
  }
  for (const taint of wantedNoSchedule) {
    if (!next.some((t) => t.key === taint.key && t.effect === 'NoSchedule')) next.push(taint);
  }
  // A node already tainted for the other reason is re-tainted at once, the limiter aside (SwapNodeControllerTaint).
  const swapping = current.some((t) => t.effect === 'NoExecute' && ownedNoExecuteKeys.has(t.key));
  if (
    wantedKey &&
    (noExecute.allowed || swapping) &&
    !next.some((t) => t.key === wantedKey && t.effect === 'NoExecute')
  ) {
    next.push({ key: wantedKey, effect: 'NoExecute', timeAdded: nowTime });
  }
  const same =
    next.length === current.length &&
    next.every((t) => current.some((c) => c.key === t.key && c.effect === t.effect && c.value === t.value));
  return same ? undefined : next;
}
