// Which live host has room for one more node: what each node takes of its host (`skiff.io/reserved`, else a size
// the caller knows, else its reported capacity, else the smallest Fargate size), summed per host (`skiff.io/host`),
// against each host's declared capacity; the host least loaded after placing the node wins, ties by name.
import { quantityValue } from '../../fargate/quantity.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { Host } from './lease.js';

export const hostAnnotation = 'skiff.io/host';
/** What a node takes from its host: JSON `{"cpuMillis":N,"memoryMiB":N}` (a Fargate node: the pod's size). */
export const reservedAnnotation = 'skiff.io/reserved';

export interface Resources {
  cpuMillis: number;
  memoryMiB: number;
}

export interface Usage extends Resources {
  nodes: number;
}

/** A size for a node without `skiff.io/reserved` (a node group's instance type), or undefined when unknown. */
export type NodeSizer = (node: KubeObject) => Resources | undefined;

const smallestFargateSize: Resources = { cpuMillis: 250, memoryMiB: 512 };
export const noUsage = (): Usage => ({ cpuMillis: 0, memoryMiB: 0, nodes: 0 });

/** `skiff.io/reserved` texts read so far (nodes of one size share one text), and what each says. */
const reservations = new Map<string, Resources | undefined>();
const reservationsKept = 256;

/** What a `skiff.io/reserved` text says, or undefined when it is unreadable or incomplete. */
function readReservation(text: string): Resources | undefined {
  if (reservations.has(text)) return reservations.get(text);
  let found: Resources | undefined;
  try {
    const r = JSON.parse(text);
    if (typeof r?.cpuMillis === 'number' && typeof r?.memoryMiB === 'number') {
      found = { cpuMillis: r.cpuMillis, memoryMiB: r.memoryMiB };
    }
  } catch {
    // Unreadable: sized like a node without the annotation.
  }
  if (reservations.size >= reservationsKept) reservations.clear();
  reservations.set(text, found);
  return found;
}

export function nodeReservation(node: KubeObject, sizeOf: NodeSizer = () => undefined): Resources {
  const annotation = node.metadata.annotations?.[reservedAnnotation];
  const reserved = annotation === undefined || annotation === null ? undefined : readReservation(String(annotation));
  if (reserved) return { ...reserved };
  const known = sizeOf(node);
  if (known) return known;
  const capacity = node.status?.capacity;
  if (capacity?.cpu === undefined && capacity?.memory === undefined) return smallestFargateSize;
  try {
    return {
      cpuMillis: capacity.cpu === undefined ? 0 : quantityValue(capacity.cpu) * 1000,
      memoryMiB: capacity.memory === undefined ? 0 : Math.ceil(quantityValue(capacity.memory) / 2 ** 20),
    };
  } catch {
    return smallestFargateSize;
  }
}

/** Adds (sign 1) or removes (sign -1) one node of `size` to a host's usage. */
export function addUsage(usage: Usage, size: Resources, sign: 1 | -1 = 1): Usage {
  return {
    cpuMillis: usage.cpuMillis + sign * size.cpuMillis,
    memoryMiB: usage.memoryMiB + sign * size.memoryMiB,
    nodes: usage.nodes + sign,
  };
}

/** What the nodes placed on each host (by `skiff.io/host`) take of it. */
export function usageByHost(nodes: Iterable<KubeObject>, sizeOf?: NodeSizer): Map<string, Usage> {
  const used = new Map<string, Usage>();
  for (const node of nodes) {
    const host = node.metadata.annotations?.[hostAnnotation];
    if (host) used.set(host, addUsage(used.get(host) ?? noUsage(), nodeReservation(node, sizeOf)));
  }
  return used;
}

/** The host with room for one more node of `need`, least loaded afterwards; undefined when none has room. */
export function pickHost(
  hosts: Host[],
  used: (host: string) => Usage | undefined,
  need: Resources,
): string | undefined {
  let best: { name: string; load: number } | undefined;
  for (const { name, capacity } of hosts) {
    const after = addUsage(used(name) ?? noUsage(), need);
    const fractions = [
      after.cpuMillis / capacity.cpuMillis,
      after.memoryMiB / capacity.memoryMiB,
      after.nodes / capacity.sandboxes,
    ];
    if (fractions.some((f) => !(f <= 1))) continue;
    const load = Math.max(...fractions);
    if (!best || load < best.load || (load === best.load && name < best.name)) best = { name, load };
  }
  return best?.name;
}

/** Skiff's wording when no host has room, after kube-scheduler's "0/N nodes are available: …". */
export function noRoomMessage(liveHostCount: number): string {
  const why = liveHostCount === 0 ? 'no host agent is running' : `${liveHostCount} host(s) had no room for the pod`;
  return `0/${liveHostCount} hosts are available: ${why}`;
}
