// What a Fargate pod's processes may hold, whatever runs them: the open-files and processes rlimits (soft 1024 /
// hard 65535, as Fargate sets them) and the process count of a micro-VM of the pod's provisioned memory (the kernel's
// threads-max: memory / 128 KiB, i.e. 8 × a 16 KiB x86-64 kernel stack; 4096 for 0.5 GB, 32768 for 4 GB).

export interface Rlimit {
  soft: number;
  hard: number;
}

export const fargateRlimits: { nofile: Rlimit; nproc: Rlimit } = {
  nofile: { soft: 1024, hard: 65535 },
  nproc: { soft: 1024, hard: 65535 },
};

const bytesPerThread = 128 * 1024;
const minThreads = 20;

/** The process count a Fargate pod of `memoryBytes` may run. */
export function fargatePidsLimit(memoryBytes: number): number {
  return Math.max(minThreads, Math.floor(memoryBytes / bytesPerThread));
}
