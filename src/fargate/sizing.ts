// The Fargate pod size (reference §4): the vCPU/memory table, the size a pod's requests round up to, the
// `CapacityProvisioned` annotation text, and the ephemeral storage it gets.

import type { ContainerShape, PodShape } from './pod-shape.js';
import { QuantityError, quantityMilliValue, quantityValue } from './quantity.js';
import { type Refusal, refuse } from './refusal.js';

/** The pod annotation that names the size Fargate gave it and bills (`CapacityProvisioned: 0.25vCPU 0.5GB`). */
export const capacityProvisionedAnnotation = 'CapacityProvisioned';

export interface FargateSize {
  cpuMillis: number;
  /** Fargate's "GB" are 1024 MiB. */
  memoryMiB: number;
}

const GB = 1024;
const range = (from: number, to: number, step: number) =>
  Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);

/** Reference §4.1: each vCPU tier with its memory options in GB. */
export const sizeTable: { vcpu: number; memoryGB: number[] }[] = [
  { vcpu: 0.25, memoryGB: [0.5, 1, 2] },
  { vcpu: 0.5, memoryGB: [1, 2, 3, 4] },
  { vcpu: 1, memoryGB: range(2, 8, 1) },
  { vcpu: 2, memoryGB: range(4, 16, 1) },
  { vcpu: 4, memoryGB: range(8, 30, 1) },
  { vcpu: 8, memoryGB: range(16, 60, 4) },
  { vcpu: 16, memoryGB: range(32, 120, 8) },
];

/** Every supported size, smallest vCPU first, then smallest memory. */
export const fargateSizes: FargateSize[] = sizeTable.flatMap(({ vcpu, memoryGB }) =>
  memoryGB.map((gb) => ({ cpuMillis: vcpu * 1000, memoryMiB: gb * GB })),
);

export const defaultSize: FargateSize = fargateSizes[0];
export const largestSize: FargateSize = fargateSizes[fargateSizes.length - 1];
/** Memory added "for the required Kubernetes components (kubelet, kube-proxy, and containerd)". */
export const kubernetesOverheadMiB = 256;

export const ephemeralStorage = { defaultGiB: 20, maxRequestGiB: 175, systemOverheadGiB: 15 } as const;

/** `0.25vCPU 0.5GB`, `2vCPU 9GB`. */
export function formatCapacityProvisioned(size: FargateSize): string {
  return `${size.cpuMillis / 1000}vCPU ${size.memoryMiB / GB}GB`;
}

/** The size an annotation `CapacityProvisioned: 0.25vCPU 0.5GB` names, or undefined when it names no Fargate size. */
export function parseCapacityProvisioned(text: string | undefined): FargateSize | undefined {
  const m = /^(\d+(?:\.\d+)?)vCPU (\d+(?:\.\d+)?)GB$/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  const cpuMillis = Number(m[1]) * 1000;
  const memoryMiB = Number(m[2]) * GB;
  return fargateSizes.find((s) => s.cpuMillis === cpuMillis && s.memoryMiB === memoryMiB);
}

/** The smallest size with at least this CPU and memory (overhead already added), or undefined above the table. */
export function roundUpToSize(cpuMillis: number, memoryMiB: number): FargateSize | undefined {
  return fargateSizes.find((s) => s.cpuMillis >= cpuMillis && s.memoryMiB >= memoryMiB);
}

export interface PodRequests {
  cpuMillis: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
}

/** A container's request for a resource; a limit stands in when only the limit is set (Kubernetes defaulting). */
function containerRequest(c: ContainerShape, resource: string, read: (q: string | number) => number): number {
  const q = c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource];
  return q === undefined ? 0 : read(q);
}

/** max(largest init container, sum of app containers) for one resource. */
function podRequest(pod: PodShape, resource: string, read: (q: string | number) => number): number {
  const init = (pod.spec?.initContainers ?? []).map((c) => containerRequest(c, resource, read));
  const app = (pod.spec?.containers ?? []).map((c) => containerRequest(c, resource, read));
  return Math.max(
    0,
    ...init,
    app.reduce((a, b) => a + b, 0),
  );
}

export function podRequests(pod: PodShape): PodRequests {
  return {
    cpuMillis: podRequest(pod, 'cpu', quantityMilliValue),
    memoryBytes: podRequest(pod, 'memory', quantityValue),
    ephemeralStorageBytes: podRequest(pod, 'ephemeral-storage', quantityValue),
  };
}

export interface PodSizing {
  size: FargateSize;
  /** The `CapacityProvisioned` annotation value. */
  capacityProvisioned: string;
  ephemeralStorageGiB: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The size Fargate gives the pod, or the reason it cannot run on any size. */
export function sizePod(pod: PodShape): PodSizing | Refusal<'NotSizable'> {
  let req: PodRequests;
  try {
    req = podRequests(pod);
  } catch (err) {
    if (err instanceof QuantityError) return refuse('NotSizable', `Pod resources are invalid: ${err.message}`);
    throw err;
  }
  const memoryMiB = Math.ceil(req.memoryBytes / MiB) + kubernetesOverheadMiB;
  const size = roundUpToSize(req.cpuMillis, memoryMiB);
  if (!size) {
    const asked = `${round2(req.cpuMillis / 1000)}vCPU ${round2(memoryMiB / GB)}GB`;
    // Skiff's wording: EKS's own text for a pod beyond the largest size is not public.
    return refuse(
      'NotSizable',
      `Pod resource requests exceed the largest Fargate pod size ${formatCapacityProvisioned(largestSize)}: ` +
        `requested ${asked} (memory includes ${kubernetesOverheadMiB}MB for kubelet, kube-proxy and containerd)`,
    );
  }
  const storage = ephemeralStorageGiB(req.ephemeralStorageBytes);
  if (typeof storage !== 'number') return storage;
  return { size, capacityProvisioned: formatCapacityProvisioned(size), ephemeralStorageGiB: storage };
}

/**
 * 20 GiB by default; a request up to 175 GiB gets the request plus 15 GiB for system use (the one documented
 * example: 100 GiB → 115 GiB), never less than the default.
 */
export function ephemeralStorageGiB(requestBytes: number): number | Refusal<'NotSizable'> {
  const requested = Math.ceil(requestBytes / GiB);
  if (requested > ephemeralStorage.maxRequestGiB) {
    return refuse(
      'NotSizable',
      `Pod ephemeral-storage request of ${round2(requestBytes / GiB)}GiB exceeds the Fargate maximum of ${ephemeralStorage.maxRequestGiB}GiB`,
    );
  }
  if (requestBytes === 0) return ephemeralStorage.defaultGiB;
  return Math.max(ephemeralStorage.defaultGiB, requested + ephemeralStorage.systemOverheadGiB);
}
