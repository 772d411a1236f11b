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

export function zoneState(ready: number, total: number, settings: ZoneSettings): ZoneState {
  const notReady = total - ready;
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / total >= settings.unhealthyZoneThreshold) return 'PartialDisruption';
  return 'Normal';
}

export interface Zones {
  /** Every zone fully disrupted: NoExecute taints are removed and none set. */
  allDisrupted: boolean;
  /** The zone's NoExecute tainting rate (nodes a second; 0 stops it). */
  rateOf(zone: string): number;
}

interface ZoneCount {
  total: number;
  ready: number;
}

/** Where a node counts: its zone and whether it is Ready. */
interface NodePlace {
  zone: string;
  ready: boolean;
}

const placeOf = (node: KubeObject): NodePlace => ({
  zone: zoneOf(node),
  ready: readyCondition(node)?.status === 'True',
});

function count(zones: Map<string, ZoneCount>, place: NodePlace, by: 1 | -1): void {
  const counted = zones.get(place.zone) ?? { total: 0, ready: 0 };
  counted.total += by;
  if (place.ready) counted.ready += by;
  if (counted.total === 0) zones.delete(place.zone);
  else zones.set(place.zone, counted);
}

/**
 * Each zone's node count and Ready count, kept up to date from the node informer's changes (`observe`, by node name,
 * so seeing a node again — a restart's cache handed over as additions — counts it once), so weighing the zones costs
 * the number of zones, not of nodes.
 */
export class ZoneCounts {
  private readonly places = new Map<string, NodePlace>();
  private readonly zones = new Map<string, ZoneCount>();

  /** A node changed from `old` to `current` (either absent when it came or went). */
  observe(old: KubeObject | undefined, current: KubeObject | undefined): void {
    const name = (current ?? old)?.metadata.name;
    if (!name) return;
    const before = this.places.get(name);
    if (before) count(this.zones, before, -1);
    if (!current) {
      this.places.delete(name);
      return;
    }
    const place = placeOf(current);
    this.places.set(name, place);
    count(this.zones, place, 1);
  }

  /** The zones' states, with `current` — a node the reconcile has just changed — counted as it is now. */
  weigh(settings: ZoneSettings, current?: KubeObject): Zones {
    const counts = new Map([...this.zones].map(([zone, c]) => [zone, { ...c }]));
    const before = current && this.places.get(current.metadata.name!);
    if (before) count(counts, before, -1);
    if (current) count(counts, placeOf(current), 1);
    const states = new Map([...counts].map(([zone, c]) => [zone, zoneState(c.ready, c.total, settings)]));
    const allDisrupted = states.size > 0 && [...states.values()].every((s) => s === 'FullDisruption');
    return {
      allDisrupted,
      rateOf(zone) {
        if (allDisrupted) return 0;
        if (states.get(zone) !== 'PartialDisruption') return settings.evictionRate;
        return (counts.get(zone)?.total ?? 0) > settings.largeClusterSizeThreshold ? settings.secondaryEvictionRate : 0;
      },
    };
  }
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
