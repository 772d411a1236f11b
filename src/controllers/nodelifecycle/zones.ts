// Zones as the node lifecycle controller weighs them before tainting NoExecute (handleDisruption, ComputeZoneState):
// a zone (region and zone labels) with no Ready node is fully disrupted, one with more than two not-Ready nodes
// making at least --unhealthy-zone-threshold (0.55) of it partially disrupted. When every zone is fully disrupted
// the controller assumes its own view is broken ("master disruption mode"): no node is tainted NoExecute and the
// taints go; a partially disrupted zone of at most --large-cluster-size-threshold (50) nodes gets no new ones; else
// a zone is tainted at --node-eviction-rate (0.1 nodes a second).
import type { KubeObject } from '../../kube/api/types.js';
import { readyCondition } from './health.js';

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

export interface ZoneSettings {
  unhealthyZoneThreshold: number;
  largeClusterSizeThreshold: number;
  /** Nodes a second tainted NoExecute in a healthy zone (and a fully disrupted one, not all are). */
  evictionRate: number;
  /** The rate for a partially disrupted zone larger than largeClusterSizeThreshold. */
  secondaryEvictionRate: number;
}

export const defaultZoneSettings: ZoneSettings = {
  unhealthyZoneThreshold: 0.55,
  largeClusterSizeThreshold: 50,
  evictionRate: 0.1,
  secondaryEvictionRate: 0.01,
};

/** GetZoneKey: region and zone labels (topology.kubernetes.io, else the deprecated failure-domain ones). */
export function zoneOf(node: KubeObject): string {
  const labels = node.metadata.labels ?? {};
  const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\u0000:${zone}` : '';
}

export function zoneState(readyStatuses: (string | undefined)[], settings: ZoneSettings): ZoneState {
  const ready = readyStatuses.filter((s) => s === 'True').length;
  const notReady = readyStatuses.length - ready;
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / readyStatuses.length >= settings.unhealthyZoneThreshold) return 'PartialDisruption';
  return 'Normal';
}

export interface Zones {
  /** Every zone fully disrupted: NoExecute taints are removed and none set. */
  allDisrupted: boolean;
  /** The zone's NoExecute tainting rate (nodes a second; 0 stops it). */
  rateOf(zone: string): number;
}

export function weighZones(nodes: Iterable<KubeObject>, settings: ZoneSettings): Zones {
  const statuses = new Map<string, (string | undefined)[]>();
  for (const node of nodes) {
    const zone = zoneOf(node);
    const list = statuses.get(zone) ?? [];
    list.push(readyCondition(node)?.status);
    statuses.set(zone, list);
  }
  const states = new Map([...statuses].map(([zone, list]) => [zone, zoneState(list, settings)]));
  const allDisrupted = states.size > 0 && [...states.values()].every((s) => s === 'FullDisruption');
  return {
    allDisrupted,
    rateOf(zone) {
      if (allDisrupted) return 0;
      if (states.get(zone) !== 'PartialDisruption') return settings.evictionRate;
      return (statuses.get(zone)?.length ?? 0) > settings.largeClusterSizeThreshold
        ? settings.secondaryEvictionRate
        : 0;
    },
  };
}

/** The zones' token buckets (burst 1): when a zone may taint its next node. */
export class ZoneLimiter {
  private next = new Map<string, number>();

  /** Takes the zone's token at `now` if there is one; else says how long until there is (Infinity at rate 0). */
  take(zone: string, rate: number, now: number): { allowed: boolean; waitMs: number } {
    if (rate <= 0) return { allowed: false, waitMs: Number.POSITIVE_INFINITY };
    const at = this.next.get(zone) ?? 0;
    if (now < at) return { allowed: false, waitMs: at - now };
    this.next.set(zone, now + 1000 / rate);
    return { allowed: true, waitMs: 0 };
  }
}
