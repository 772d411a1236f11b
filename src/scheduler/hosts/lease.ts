// A host agent's Lease (kube-system/skiff-host-<host>): which Leases are host agents, whether one is live (renewed
// within leaseDurationSeconds) and the capacity it declares in `skiff.io/capacity`.
import type { KubeObject } from '../../kube/api/types.js';

export const hostLeaseNamespace = 'kube-system';
export const hostAgentLabel = { key: 'skiff.io/component', value: 'host-agent' } as const;
export const hostCapacityAnnotation = 'skiff.io/capacity';

export interface HostCapacity {
  cpuMillis: number;
  memoryMiB: number;
  sandboxes: number;
}

export interface Host {
  name: string;
  capacity: HostCapacity;
}

export function isHostLease(lease: KubeObject): boolean {
  return (
    lease.metadata.namespace === hostLeaseNamespace &&
    lease.metadata.labels?.[hostAgentLabel.key] === hostAgentLabel.value
  );
}

export function hostOfLease(lease: KubeObject): string {
  return lease.spec?.holderIdentity || lease.metadata.name!.replace(/^skiff-host-/, '');
}

/**
 * Renewed within leaseDurationSeconds (40 when unset) of `now` — or, when the reader says when this renewal reached
 * it (`observedAt`), seen within that long: a renewal that arrives late through a busy API still counts for a full
 * lease duration, as client-go's leader election counts from when it observed a renewal.
 */
export function leaseIsLive(lease: KubeObject, now: number, observedAt?: number): boolean {
  const renewed = Date.parse(lease.spec?.renewTime ?? lease.spec?.acquireTime ?? '');
  if (!Number.isFinite(renewed)) return false;
  const duration = Number(lease.spec?.leaseDurationSeconds ?? 40) * 1000;
  return Math.max(renewed, observedAt ?? renewed) + duration >= now;
}

/**
 * The `skiff.io/capacity` annotation. No annotation, or a field that is missing or not a number, does not limit the
 * host; an annotation that is not a JSON object makes the host unusable (undefined).
 */
export function hostCapacity(lease: KubeObject): HostCapacity | undefined {
  // Leases come from informer caches, whose objects are never changed in place: each is read once.
  if (capacities.has(lease)) return capacities.get(lease);
  const capacity = readCapacity(lease);
  capacities.set(lease, capacity);
  return capacity;
}

const capacities = new WeakMap<KubeObject, HostCapacity | undefined>();

function readCapacity(lease: KubeObject): HostCapacity | undefined {
  let declared: unknown;
  try {
    declared = JSON.parse(lease.metadata.annotations?.[hostCapacityAnnotation] ?? '{}');
  } catch {
    return undefined;
  }
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared)) return undefined;
  const fields = declared as Record<string, unknown>;
  const limit = (v: unknown) => (typeof v === 'number' && v >= 0 ? v : Number.POSITIVE_INFINITY);
  return {
    cpuMillis: limit(fields.cpuMillis),
    memoryMiB: limit(fields.memoryMiB),
    sandboxes: limit(fields.sandboxes),
  };
}

/** The host agents whose Lease is live, not being deleted, and declares a usable capacity. */
export function liveHosts(
  leases: Iterable<KubeObject>,
  now: number,
  observedAt: (lease: KubeObject) => number | undefined = () => undefined,
): Host[] {
  const hosts: Host[] = [];
  for (const lease of leases) {
    if (!isHostLease(lease) || lease.metadata.deletionTimestamp || !leaseIsLive(lease, now, observedAt(lease)))
      continue;
    const capacity = hostCapacity(lease);
    if (capacity) hosts.push({ name: hostOfLease(lease), capacity });
  }
  return hosts;
}
