// A node's health as kube-controller-manager's node lifecycle controller judges it (tryUpdateNodeHealth): the last
// moment the controller saw a heartbeat — a new lastHeartbeatTime on the Ready condition, or a newer renewTime on
// the node's Lease in kube-node-lease — by its own clock, not the kubelet's; after the grace period without one
// (the startup grace when the kubelet never posted Ready), Ready, MemoryPressure, DiskPressure and PIDPressure turn
// Unknown with the kubelet's own reasons.
import type { KubeObject } from '../../kube/api/types.js';

/** The conditions the controller turns Unknown; NetworkUnavailable belongs to the network plugin. */
export const monitoredConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

export const neverUpdated = { reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' };
export const stoppedPosting = { reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };

export interface GracePeriods {
  /** --node-monitor-grace-period: 50 s in kube 1.32 (40 s before). */
  monitorMs: number;
  /** --node-startup-grace-period: 60 s, for a node whose kubelet never posted Ready. */
  startupMs: number;
}

export const defaultGracePeriods: GracePeriods = { monitorMs: 50_000, startupMs: 60_000 };

/** What the controller last saw of a node (its nodeHealthData). */
export interface NodeHealth {
  probeTimestamp: number;
  readyHeartbeat?: string;
  leaseRenewTime?: string;
  /** The Ready status the controller last saw, to notice True → not True. */
  readyStatus?: string;
}

export const readyCondition = (node: KubeObject): any =>
  (node.status?.conditions ?? []).find((c: any) => c?.type === 'Ready');

/** The health record after observing `node` and its `lease` at `now`: a new heartbeat moves the probe time. */
export function observeHealth(
  previous: NodeHealth | undefined,
  node: KubeObject,
  lease: KubeObject | undefined,
  now: number,
): NodeHealth {
  const readyHeartbeat = readyCondition(node)?.lastHeartbeatTime;
  const leaseRenewTime = lease?.spec?.renewTime;
  if (!previous)
    return { probeTimestamp: now, readyHeartbeat, leaseRenewTime, readyStatus: readyCondition(node)?.status };
  const health = { ...previous };
  if (readyHeartbeat !== previous.readyHeartbeat) {
    health.readyHeartbeat = readyHeartbeat;
    if (readyHeartbeat) health.probeTimestamp = now;
  }
  if (leaseRenewTime && (!previous.leaseRenewTime || micro(leaseRenewTime) > micro(previous.leaseRenewTime))) {
    health.leaseRenewTime = leaseRenewTime;
    health.probeTimestamp = now;
  }
  return health;
}

/** A MicroTime as a comparable number (microseconds precision kept as a fraction of a millisecond). */
function micro(time: string): number {
  const fraction = /\.(\d+)Z$/.exec(time)?.[1] ?? '';
  return Date.parse(time) + Number(`0.${fraction.slice(3) || '0'}`);
}

/** How long the controller waits for a heartbeat before this node is Unknown. */
export function gracePeriodOf(node: KubeObject, periods: GracePeriods): number {
  return readyCondition(node) ? periods.monitorMs : periods.startupMs;
}

/** When the node's heartbeats are overdue (epoch ms). */
export function overdueAt(node: KubeObject, health: NodeHealth, periods: GracePeriods): number {
  return health.probeTimestamp + gracePeriodOf(node, periods);
}

/**
 * The node's conditions once its heartbeats are overdue, or undefined when nothing changes: a condition never
 * posted appears Unknown (NodeStatusNeverUpdated, heartbeat = the node's creation), one posted turns Unknown
 * (NodeStatusUnknown) unless it already is.
 */
export function unknownConditions(node: KubeObject, nowTime: string): any[] | undefined {
  const conditions = (node.status?.conditions ?? []).map((c: any) => ({ ...c }));
  let changed = false;
  for (const type of monitoredConditions) {
    const current = conditions.find((c: any) => c?.type === type);
    if (!current) {
      conditions.push({
        type,
        status: 'Unknown',
        ...neverUpdated,
        lastHeartbeatTime: node.metadata.creationTimestamp,
        lastTransitionTime: nowTime,
      });
      changed = true;
    } else if (current.status !== 'Unknown') {
      Object.assign(current, { status: 'Unknown', ...stoppedPosting, lastTransitionTime: nowTime });
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}
