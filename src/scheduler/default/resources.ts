// Resource arithmetic as kube-scheduler does it: a pod's effective requests (containers summed, sidecars added,
// init containers as a peak, overhead on top; a request falls back to its limit), the non-zero requests scoring
// uses (100m CPU, 200Mi memory for a container that names none) and a node's allocatable.
import { quantityMilliValue, quantityValue } from '../../fargate/quantity.js';
import type { KubeObject } from '../../kube/api/types.js';

export interface Resources {
  milliCPU: number;
  /** Bytes. */
  memory: number;
  ephemeralStorage: number;
  /** Extended resources and hugepages, in whole units. */
  scalar: Record<string, number>;
}

export const defaultMilliCPURequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: {} };
}

function read(list: Record<string, string | number> | undefined): Resources {
  const r = emptyResources();
  for (const [name, value] of Object.entries(list ?? {})) {
    try {
      if (name === 'cpu') r.milliCPU = quantityMilliValue(value);
      else if (name === 'memory') r.memory = quantityValue(value);
      else if (name === 'ephemeral-storage') r.ephemeralStorage = quantityValue(value);
      else if (name !== 'pods') r.scalar[name] = quantityValue(value);
    } catch {
      // An unparsable quantity never passed validation on a real server; it counts as nothing here.
    }
  }
  return r;
}

function combine(a: Resources, b: Resources, op: (x: number, y: number) => number): Resources {
  const scalar: Record<string, number> = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = op(scalar[k] ?? 0, v);
  return {
    milliCPU: op(a.milliCPU, b.milliCPU),
    memory: op(a.memory, b.memory),
    ephemeralStorage: op(a.ephemeralStorage, b.ephemeralStorage),
    scalar,
  };
}

export const add = (a: Resources, b: Resources) => combine(a, b, (x, y) => x + y);
export const subtract = (a: Resources, b: Resources) => combine(a, b, (x, y) => x - y);
const max = (a: Resources, b: Resources) => combine(a, b, Math.max);

/** A container's requests, each missing one taken from its limit (the API server's defaulting). */
function containerRequests(container: any, nonZero: boolean): Resources {
  const requests = { ...container?.resources?.limits, ...container?.resources?.requests };
  const r = read(requests);
  if (nonZero) {
    if (requests.cpu === undefined) r.milliCPU = defaultMilliCPURequest;
    if (requests.memory === undefined) r.memory = defaultMemoryRequest;
  }
  return r;
}

/** What the pod asks of a node; with `nonZero`, containers without a CPU or memory request count the defaults. */
export function podRequests(pod: KubeObject, nonZero = false): Resources {
  let total = emptyResources();
  for (const c of pod.spec?.containers ?? []) total = add(total, containerRequests(c, nonZero));
  let sidecars = emptyResources();
  let initPeak = emptyResources();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = containerRequests(c, nonZero);
    if (c?.restartPolicy === 'Always') {
      total = add(total, own);
      sidecars = add(sidecars, own);
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(own, sidecars));
    }
  }
  return add(max(total, initPeak), read(pod.spec?.overhead));
}

export interface Allocatable extends Resources {
  pods: number;
}

export function nodeAllocatable(node: KubeObject): Allocatable {
  const list = node.status?.allocatable ?? node.status?.capacity ?? {};
  let pods = 0;
  try {
    pods = list.pods === undefined ? 0 : quantityValue(list.pods);
  } catch {
    pods = 0;
  }
  return { ...read(list), pods };
}
