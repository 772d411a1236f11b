// Which host agent gets a new node: live host Leases (renewed within their duration) with their declared
// capacity, minus what the nodes already placed there (and nodes being created) use; the least loaded that fits wins.
import { quantityValue } from '../../fargate/quantity.js';
import type { KubeObject } from '../../kube/api/types.js';

export const hostAnnotation = 'skiff.io/host';
export const hostCapacityAnnotation = 'skiff.io/capacity';
/** What a node takes from its host: JSON `{"cpuMillis":N,"memoryMiB":N}` (a Fargate node: the pod's size). */
export const reservedAnnotation = 'skiff.io/reserved';
export const hostLeaseNamespace = 'kube-system';
export const hostAgentLabel = { key: 'skiff.io/component', value: 'host-agent' } as const;

export interface Resources {
  cpuMillis: number;
  memoryMiB: number;
}

export interface HostCapacity extends Resources {
  sandboxes: number;
}

interface Usage extends Resources {
  nodes: number;
}

export type Placement = { host: string } | { message: string };

export function isHostLease(lease: KubeObject): boolean {
  return (
    lease.metadata.namespace === hostLeaseNamespace &&
    lease.metadata.labels?.[hostAgentLabel.key] === hostAgentLabel.value
  );
}

export function hostOfLease(lease: KubeObject): string {
  return lease.spec?.holderIdentity || lease.metadata.name!.replace(/^skiff-host-/, '');
}

/** Renewed within leaseDurationSeconds of `now`. */
export function leaseIsLive(lease: KubeObject, now: number): boolean {
  const renewed = Date.parse(lease.spec?.renewTime ?? lease.spec?.acquireTime ?? '');
  const duration = Number(lease.spec?.leaseDurationSeconds ?? 40);
  return Number.isFinite(renewed) && renewed + duration * 1000 >= now;
}

/** The `skiff.io/capacity` annotation; a field that is missing or not a number does not limit the host. */
export function hostCapacity(lease: KubeObject): HostCapacity {
  let declared: Record<string, unknown> = {};
  try {
    declared = JSON.parse(lease.metadata.annotations?.[hostCapacityAnnotation] ?? '{}') ?? {};
  } catch {}
  const limit = (v: unknown) => (typeof v === 'number' && v >= 0 ? v : Number.POSITIVE_INFINITY);
  return {
    cpuMillis: limit(declared.cpuMillis),
    memoryMiB: limit(declared.memoryMiB),
    sandboxes: limit(declared.sandboxes),
  };
}

/** The `skiff.io/reserved` annotation, else the node's reported capacity (a node-group instance's size). */
export function nodeReservation(node: KubeObject): Resources {
  try {
    const r = JSON.parse(node.metadata.annotations?.[reservedAnnotation] ?? 'null');
    if (typeof r?.cpuMillis === 'number' && typeof r?.memoryMiB === 'number') {
      return { cpuMillis: r.cpuMillis, memoryMiB: r.memoryMiB };
    }
  } catch {}
  const capacity = node.status?.capacity ?? {};
  try {
    return {
      cpuMillis: capacity.cpu === undefined ? 0 : quantityValue(capacity.cpu) * 1000,
      memoryMiB: capacity.memory === undefined ? 0 : Math.ceil(quantityValue(capacity.memory) / 2 ** 20),
    };
  } catch {
    return { cpuMillis: 0, memoryMiB: 0 };
  }
}

/** Host agents and what their nodes use, kept up to date from Lease and Node events. */
export class HostBook {
  private readonly leases = new Map<string, KubeObject>();
  private readonly usage = new Map<string, Usage>();
  private readonly placed = new Map<string, Resources & { host: string }>();
  private readonly pending = new Map<string, Resources & { host: string }>();

  leaseChanged(old: KubeObject | undefined, lease: KubeObject | undefined): void {
    if (old && isHostLease(old)) this.leases.delete(hostOfLease(old));
    if (lease && isHostLease(lease)) this.leases.set(hostOfLease(lease), lease);
  }

  nodeChanged(old: KubeObject | undefined, node: KubeObject | undefined): void {
    const name = (node ?? old)?.metadata.name;
    if (!name) return;
    const before = this.placed.get(name);
    if (before) this.add(before.host, before, -1);
    this.placed.delete(name);
    const host = node?.metadata.annotations?.[hostAnnotation];
    if (!node || !host) return;
    const pending = this.pending.get(name);
    if (pending) {
      this.add(pending.host, pending, -1);
      this.pending.delete(name);
    }
    const use = { host, ...nodeReservation(node) };
    this.placed.set(name, use);
    this.add(host, use, 1);
  }

  /** Picks a host for a node about to be created and counts it there until the node shows up or is unreserved. */
  reserve(nodeName: string, size: Resources, now = Date.now()): Placement {
    const live = [...this.leases.entries()].filter(([, lease]) => leaseIsLive(lease, now));
    let best: { host: string; load: number } | undefined;
    for (const [host, lease] of live) {
      const cap = hostCapacity(lease);
      const used = this.usage.get(host) ?? { cpuMillis: 0, memoryMiB: 0, nodes: 0 };
      const after = [
        (used.cpuMillis + size.cpuMillis) / cap.cpuMillis,
        (used.memoryMiB + size.memoryMiB) / cap.memoryMiB,
        (used.nodes + 1) / cap.sandboxes,
      ];
      if (after.some((f) => !(f <= 1))) continue;
      const load = Math.max(...after);
      if (!best || load < best.load || (load === best.load && host < best.host)) best = { host, load };
    }
    if (!best) {
      // Skiff's wording, after kube-scheduler's "0/N nodes are available: …".
      const why = live.length === 0 ? 'no host agent is running' : `${live.length} host(s) had no room for the pod`;
      return { message: `0/${live.length} hosts are available: ${why}` };
    }
    const use = { host: best.host, ...size };
    this.pending.set(nodeName, use);
    this.add(best.host, use, 1);
    return { host: best.host };
  }

  unreserve(nodeName: string): void {
    const pending = this.pending.get(nodeName);
    if (!pending) return;
    this.pending.delete(nodeName);
    this.add(pending.host, pending, -1);
  }

  /** Live hosts with what their nodes use (for status and tests). */
  hosts(now = Date.now()): { host: string; used: Usage; capacity: HostCapacity }[] {
    return [...this.leases.entries()]
      .filter(([, lease]) => leaseIsLive(lease, now))
      .map(([host, lease]) => ({
        host,
        used: this.usage.get(host) ?? { cpuMillis: 0, memoryMiB: 0, nodes: 0 },
        capacity: hostCapacity(lease),
      }));
  }

  private add(host: string, r: Resources, sign: 1 | -1): void {
    const u = this.usage.get(host) ?? { cpuMillis: 0, memoryMiB: 0, nodes: 0 };
    u.cpuMillis += sign * r.cpuMillis;
    u.memoryMiB += sign * r.memoryMiB;
    u.nodes += sign;
    if (u.nodes === 0) this.usage.delete(host);
    else this.usage.set(host, u);
  }
}
