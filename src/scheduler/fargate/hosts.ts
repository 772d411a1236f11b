// fargate-scheduler's book of host agents: their Leases and what the nodes placed on them (and nodes being created)
// use, kept up to date from Lease and Node events; room and liveness are src/scheduler/hosts/'s rules.
import type { KubeObject } from '../../kube/api/types.js';
import { type HostCapacity, hostCapacity, hostOfLease, isHostLease, leaseIsLive, liveHosts } from '../hosts/lease.js';
import {
  addUsage,
  hostAnnotation,
  nodeReservation,
  noRoomMessage,
  noUsage,
  pickHost,
  type Resources,
  type Usage,
} from '../hosts/room.js';

export type Placement = { host: string } | { message: string };

/** Host agents and what their nodes use, kept up to date from Lease and Node events. */
export class HostBook {
  private readonly leases = new Map<string, KubeObject>();
  /** When each host's current renewal reached this book (see leaseIsLive). */
  private readonly observed = new Map<string, number>();
  private readonly usage = new Map<string, Usage>();
  private readonly placed = new Map<string, Resources & { host: string }>();
  private readonly pending = new Map<string, Resources & { host: string }>();

  leaseChanged(old: KubeObject | undefined, lease: KubeObject | undefined, now = Date.now()): void {
    if (old && isHostLease(old)) this.leases.delete(hostOfLease(old));
    if (!lease || !isHostLease(lease)) {
      if (old) this.observed.delete(hostOfLease(old));
      return;
    }
    const host = hostOfLease(lease);
    this.leases.set(host, lease);
    // A renewal seen arriving; a Lease first seen (a restart's list) counts from its renewTime alone.
    if (old && old.spec?.renewTime !== lease.spec?.renewTime) this.observed.set(host, now);
  }

  /** Whether some live host has room for `size` now (nothing is reserved): else why not. */
  roomFor(size: Resources, now = Date.now()): { message: string } | undefined {
    const live = this.live(now);
    return pickHost(live, (h) => this.usage.get(h), size) ? undefined : { message: noRoomMessage(live.length) };
  }

  nodeChanged(old: KubeObject | undefined, node: KubeObject | undefined): void {
    const name = (node ?? old)?.metadata.name;
    if (!name) return;
    const before = this.placed.get(name);
    if (before) this.add(before.host, before, -1);
    this.placed.delete(name);
    const host = node?.metadata.annotations?.[hostAnnotation];
    if (!node || !host) return;
    this.unreserve(name);
    const use = { host, ...nodeReservation(node) };
    this.placed.set(name, use);
    this.add(host, use, 1);
  }

  /** Picks a host for a node about to be created and counts it there until the node shows up or is unreserved. */
  reserve(nodeName: string, size: Resources, now = Date.now()): Placement {
    const live = this.live(now);
    const host = pickHost(live, (h) => this.usage.get(h), size);
    if (!host) return { message: noRoomMessage(live.length) };
    const use = { host, ...size };
    this.pending.set(nodeName, use);
    this.add(host, use, 1);
    return { host };
  }

  unreserve(nodeName: string): void {
    const pending = this.pending.get(nodeName);
    if (!pending) return;
    this.pending.delete(nodeName);
    this.add(pending.host, pending, -1);
  }

  /** Live hosts with what their nodes use (for status and tests). */
  hosts(now = Date.now()): { host: string; used: Usage; capacity: HostCapacity | undefined }[] {
    return [...this.leases.entries()]
      .filter(([host, lease]) => leaseIsLive(lease, now, this.observed.get(host)))
      .map(([host, lease]) => ({ host, used: this.usage.get(host) ?? noUsage(), capacity: hostCapacity(lease) }));
  }

  private live(now: number) {
    return liveHosts(this.leases.values(), now, (lease) => this.observed.get(hostOfLease(lease)));
  }

  private add(host: string, r: Resources, sign: 1 | -1): void {
    const u = addUsage(this.usage.get(host) ?? noUsage(), r, sign);
    if (u.nodes === 0) this.usage.delete(host);
    else this.usage.set(host, u);
  }
}
