// The last step of stopping the engine: after containerd is gone, remove what it or its shims may have left
// (shim processes, mounts under D/containerd, cgroup parents, pod IP files) and the VPC namespace and host link.
import { rmSync } from 'node:fs';
import { killShims, removeCgroups, unmountAll } from './cleanup.js';
import { tearDownVpcNetwork } from './network/vpc.js';
import type { EnginePaths } from './paths.js';

export async function cleanAfterStop(paths: EnginePaths): Promise<void> {
  await killShims(paths);
  await unmountAll(paths.dir);
  removeCgroups(paths.cgroupParent);
  rmSync(paths.podIps, { recursive: true, force: true });
  await tearDownVpcNetwork(paths);
}
