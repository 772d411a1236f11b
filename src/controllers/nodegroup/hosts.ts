// Which host agent runs a new node-group node: a host whose Lease is live and whose advertised capacity still holds
// the instance's vCPUs and memory and one more node, after the nodes already placed on it; the least loaded wins.
import type { KubeObject } from '../../kube/api/types.js';
import { instanceType } from './instance-types.js';
import { hostAnnotation, instanceTypeLabel } from './node.js';

export const hostLeaseNamespace = 'kube-system';
export const hostComponentLabel = 'skiff.io/component';
export const hostComponent = 'host-agent';
export const hostCapacityAnnotation = 'skiff.io/capacity';
/** What a node takes from its host, as fargate-scheduler writes it on Fargate nodes: `{"cpuMillis":N,"memoryMiB":N}`. */
export const reservedAnnotation = 'skiff.io/reserved';

export interface Size {
  cpuMillis: number;
  memoryMiB: number;
}

export interface Host {
  name: string;
  capacity: Size & { sandboxes: number };
}

/** Hosts whose Lease was renewed within its duration and advertises a readable capacity. */
export function liveHosts(leases: KubeObject[], now: number): Host[] {
  const hosts: Host[] = [];
  for (const lease of leases) {
    if (lease.metadata.labels?.[hostComponentLabel] !== hostComponent || lease.metadata.deletionTimestamp) continue;
    const name: string | undefined = lease.spec?.holderIdentity;
    const renewed = Date.parse(lease.spec?.renewTime ?? '');
    const duration = Number(lease.spec?.leaseDurationSeconds ?? 0);
    if (!name || Number.isNaN(renewed) || renewed + duration * 1000 < now) continue;
    const capacity = parseCapacity(lease.metadata.annotations?.[hostCapacityAnnotation]);
    if (capacity) hosts.push({ name, capacity });
  }
  return hosts;
}

function parseCapacity(text: string | undefined): Host['capacity'] | undefined {
  try {
    const c = JSON.parse(text ?? '');
    const ok = [c?.cpuMillis, c?.memoryMiB, c?.sandboxes].every((n) => typeof n === 'number' && n >= 0);
    return ok ? { cpuMillis: c.cpuMillis, memoryMiB: c.memoryMiB, sandboxes: c.sandboxes } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a node takes of its host: its `skiff.io/reserved` annotation (a Fargate node: the pod's size), else a
 * node-group node's instance size, else the smallest Fargate size, 0.25 vCPU and 0.5 GB.
 */
export function nodeSize(node: KubeObject): Size {
  try {
    const r = JSON.parse(node.metadata.annotations?.[reservedAnnotation] ?? 'null');
    if (typeof r?.cpuMillis === 'number' && typeof r?.memoryMiB === 'number') {
      return { cpuMillis: r.cpuMillis, memoryMiB: r.memoryMiB };
    }
  } catch {
    // Unreadable: sized below like a node without the annotation.
  }
  const type = instanceType(node.metadata.labels?.[instanceTypeLabel] ?? '');
  if (type) return { cpuMillis: type.vcpu * 1000, memoryMiB: type.memoryGiB * 1024 };
  return { cpuMillis: 250, memoryMiB: 512 };
}

/** The live host with room for one more node of `need`, least loaded by CPU first; undefined when none has room. */
export function pickHost(hosts: Host[], nodes: Iterable<KubeObject>, need: Size): string | undefined {
  const used = new Map<string, { cpuMillis: number; memoryMiB: number; nodes: number }>();
  for (const node of nodes) {
    const host = node.metadata.annotations?.[hostAnnotation];
    if (!host) continue;
    const u = used.get(host) ?? { cpuMillis: 0, memoryMiB: 0, nodes: 0 };
    const size = nodeSize(node);
    used.set(host, {
      cpuMillis: u.cpuMillis + size.cpuMillis,
      memoryMiB: u.memoryMiB + size.memoryMiB,
      nodes: u.nodes + 1,
    });
  }
  let best: { name: string; load: number } | undefined;
  for (const host of hosts) {
    const u = used.get(host.name) ?? { cpuMillis: 0, memoryMiB: 0, nodes: 0 };
    const fits =
      u.cpuMillis + need.cpuMillis <= host.capacity.cpuMillis &&
      u.memoryMiB + need.memoryMiB <= host.capacity.memoryMiB &&
      u.nodes + 1 <= host.capacity.sandboxes;
    if (!fits) continue;
    const load = host.capacity.cpuMillis > 0 ? u.cpuMillis / host.capacity.cpuMillis : 1;
    if (!best || load < best.load || (load === best.load && host.name < best.name)) best = { name: host.name, load };
  }
  return best?.name;
}
