// cgroup numbers for a container from its requests and limits (the kubelet's formulas: shares from the CPU
// request, CFS quota from the CPU limit, memory limit in bytes), and a Fargate pod's provisioned size, which caps
// the whole pod like the micro-VM it stands for (read from its CapacityProvisioned annotation, "0.25vCPU 0.5GB").

import { quantityMilliValue, quantityValue } from '../../fargate/quantity.js';
import { parseCapacityProvisioned as fargateSizeOf } from '../../fargate/sizing.js';
import type { Container } from '../lifecycle/runtime.js';

export const cpuPeriodUs = 100_000;
const minShares = 2;
const maxShares = 262_144;
const minQuotaUs = 1000;

export interface CgroupLimits {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
}

export interface PodSize {
  cpuMillis: number;
  memoryBytes: number;
}

const read = <T>(value: unknown, parse: (q: string | number) => T): T | undefined => {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  try {
    return parse(value);
  } catch {
    return undefined;
  }
};

/** CPU shares as the kubelet's MilliCPUToShares: request × 1024 / 1000, at least 2. */
export function sharesOf(milliCpu: number): number {
  return Math.min(maxShares, Math.max(minShares, Math.floor((milliCpu * 1024) / 1000)));
}

/** CFS quota as the kubelet's MilliCPUToQuota over a 100 ms period, at least 1 ms. */
export function quotaOf(milliCpu: number): number {
  return Math.max(minQuotaUs, Math.floor((milliCpu * cpuPeriodUs) / 1000));
}

/**
 * The container's cgroup limits. On a Fargate pod a container without its own limit may use the whole provisioned
 * size, so that size stands in for a missing limit.
 */
export function containerLimits(container: Container, podSize?: PodSize): CgroupLimits {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  const cpuLimit = read(limits.cpu, quantityMilliValue) ?? podSize?.cpuMillis;
  const cpuRequest = read(requests.cpu, quantityMilliValue) ?? read(limits.cpu, quantityMilliValue);
  const memory = read(limits.memory, quantityValue) ?? podSize?.memoryBytes;
  return {
    cpuShares: sharesOf(cpuRequest ?? 0),
    ...(cpuLimit ? { cpuPeriod: cpuPeriodUs, cpuQuota: quotaOf(cpuLimit) } : {}),
    ...(memory ? { memoryLimitInBytes: memory } : {}),
  };
}

/** "0.25vCPU 0.5GB" → 250 millicores, 512 MiB (Fargate's GB are GiB); undefined when absent or unreadable. */
export function parseCapacityProvisioned(value: unknown): PodSize | undefined {
  const size = typeof value === 'string' ? fargateSizeOf(value) : undefined;
  return size ? { cpuMillis: size.cpuMillis, memoryBytes: size.memoryMiB * 1024 * 1024 } : undefined;
}
