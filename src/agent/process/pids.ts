// The pod's process-count limit (pids.max of its pod cgroup), as the kubelet's podPidsLimit would set it. Node-group
// pods get the kubelet's default, -1: no limit. A Fargate pod gets what the micro-VM it stands for would allow: the
// kernel's threads-max for a machine of the provisioned memory (memory / 128 KiB: 4096 for 0.5 GB, 32768 for 4 GB).
// cgroup v1 (this host's hybrid layout) keeps pids under /sys/fs/cgroup/pids; v2 keeps it in the unified tree.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PodSize } from './resources.js';

/** Bytes of memory per thread the kernel's threads-max allows (8 × a 16 KiB x86-64 kernel stack). */
const bytesPerThread = 128 * 1024;
const minThreads = 20;

export function podPidsLimit(fargateSize: PodSize | undefined): number | undefined {
  if (!fargateSize) return undefined;
  return Math.max(minThreads, Math.floor(fargateSize.memoryBytes / bytesPerThread));
}

/** The pids.max file of the cgroup `cgroupParent` (cgroupfs syntax, "/skiff-1234/pod<uid>"). */
export function pidsMaxPath(cgroupParent: string, root = '/sys/fs/cgroup'): string {
  const v1 = join(root, 'pids');
  return existsSync(v1) ? join(v1, cgroupParent, 'pids.max') : join(root, cgroupParent, 'pids.max');
}

/** Writes the pod's limit; throws when the pod cgroup is missing or refuses it (the sandbox then fails, loudly). */
export async function applyPodPidsLimit(cgroupParent: string, limit: number): Promise<void> {
  await writeFile(pidsMaxPath(cgroupParent), String(limit));
}
