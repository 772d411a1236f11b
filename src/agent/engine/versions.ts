// The versions of the container engine's programs as installed here (containerd, runc): what the ready line, `skiff
// status` and each node's nodeInfo.containerRuntimeVersion name.
import { run } from './network/run.js';

export interface EngineVersions {
  containerd: string;
  runc: string;
}

/** The first x.y.z in a program's `--version` output (Debian's `1.6.20~ds1` is 1.6.20). */
export function versionIn(output: string): string {
  return /\b(\d+\.\d+\.\d+)/.exec(output)?.[1] ?? 'unknown';
}

export async function engineVersions(): Promise<EngineVersions> {
  const [containerd, runc] = await Promise.all(
    ['containerd', 'runc'].map((program) => run(program, ['--version']).then(versionIn, () => 'unknown')),
  );
  return { containerd: containerd!, runc: runc! };
}
