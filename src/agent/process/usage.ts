// Container usage from CRI ContainerStats the way metrics-server reports it: CPU as the rate of cumulative CPU time
// between two samples (nanocores; the first sample averages since the container started), memory as the working set.
import type { ContainerStats } from '../engine/cri/types.js';

interface Sample {
  cpuNs: number;
  at: number;
}

export class UsageRates {
  private samples = new Map<string, Sample>();

  /** `cpu` in nanocores ("1234567n") and `memory` in KiB ("6512Ki") from one stats sample of container `id`. */
  usageOf(id: string, stats: ContainerStats, startedAt: Date): { cpu: string; memory: string } {
    const cpuNs = Number(stats.cpu?.usageCoreNanoSeconds?.value ?? 0);
    const at = Number(stats.cpu?.timestamp ?? 0) || Date.now() * 1e6;
    const previous = this.samples.get(id) ?? { cpuNs: 0, at: startedAt.getTime() * 1e6 };
    this.samples.set(id, { cpuNs, at });
    const elapsedNs = at - previous.at;
    const nanocores = elapsedNs > 0 ? Math.max(0, ((cpuNs - previous.cpuNs) / elapsedNs) * 1e9) : 0;
    const memoryBytes = Number(stats.memory?.workingSetBytes?.value ?? 0);
    return { cpu: `${Math.round(nanocores)}n`, memory: `${Math.ceil(memoryBytes / 1024)}Ki` };
  }

  forget(id: string): void {
    this.samples.delete(id);
  }
}
