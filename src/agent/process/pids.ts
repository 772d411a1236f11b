// The pod's process-count limit (pids.max of its pod cgroup), as the kubelet's podPidsLimit would set it. Node-group
// pods get the kubelet's default, -1: no limit. A Fargate pod gets what the micro-VM it stands for would allow
// (src/fargate/limits.ts).
// cgroup v1 (this host's hybrid layout) keeps pids under /sys/fs/cgroup/pids; v2 keeps it in the unified tree.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fargatePidsLimit } from '../../fargate/limits.js';
import type { PodSize } from './resources.js';

export function podPidsLimit(fargateSize: PodSize | undefined): number | undefined {
  if (!fargateSize) return undefined;
  return fargatePidsLimit(fargateSize.memoryBytes);
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
