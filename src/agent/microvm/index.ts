// The micro-VM sandbox driver (`skiff up --runtime microvm`): the kubelet's pod lifecycle over MicroVmRuntime, with
// the guest kernel and init built (or found in the cache) and the accelerator chosen before the first pod; and the
// split driver that gives it the Fargate pods while node-group pods stay on the process driver.
import type { SandboxDriver } from '../driver.js';
import type { ContainerEngine } from '../engine/engine.js';
import { defaultLifecycleOptions, LifecycleDriver } from '../lifecycle/driver.js';
import { hostAccel } from './accel.js';
import { ensureGuestInitramfs } from './guest/build.js';
import { ensureGuestKernel, qemuVersion } from './kernel/build.js';

export { guestKernelRelease, qemuVersion } from './kernel/build.js';

import { type GuestImage, MicroVmRuntime, type MicroVmRuntimeOptions } from './runtime.js';

export { ComputeSplitDriver } from './compute-split.js';
export { acceleratorAnnotation, guestKernelAnnotation, MicroVmRuntime } from './runtime.js';

/** The guest kernel and init (built on first use, with a progress line) and the accelerator this host allows. */
export async function prepareGuest(say: (line: string) => void): Promise<GuestImage> {
  const [kernel, initrd] = await Promise.all([ensureGuestKernel(say), ensureGuestInitramfs()]);
  const accel = await hostAccel(kernel, initrd);
  return { kernel, initrd, accel, qemuVersion: qemuVersion() };
}

export interface MicroVmDriver extends SandboxDriver {
  runtime: MicroVmRuntime;
}

export function createMicroVmDriver(
  engine: ContainerEngine,
  guest: GuestImage,
  options: MicroVmRuntimeOptions = {},
): MicroVmDriver {
  const runtime = new MicroVmRuntime(engine, guest, options);
  const driver = new LifecycleDriver('microvm', runtime, defaultLifecycleOptions) as unknown as MicroVmDriver;
  driver.runtime = runtime;
  return driver;
}
