// The process sandbox driver (`skiff up --runtime process`): the kubelet's pod lifecycle over runc containers in
// Skiff's own containerd, through the CRI of a started ContainerEngine.
import type { SandboxDriver } from '../driver.js';
import type { ContainerEngine } from '../engine/engine.js';
import { defaultLifecycleOptions, LifecycleDriver } from '../lifecycle/driver.js';
import type { LifecycleOptions } from '../lifecycle/pod.js';
import { ProcessRuntime, type ProcessRuntimeOptions } from './runtime.js';

export { capacityProvisionedAnnotation, ProcessRuntime, type ProcessRuntimeOptions } from './runtime.js';

export interface ProcessDriverOptions extends ProcessRuntimeOptions {
  lifecycle?: LifecycleOptions;
}

export function createProcessDriver(engine: ContainerEngine, options: ProcessDriverOptions = {}): SandboxDriver {
  return new LifecycleDriver(
    'process',
    new ProcessRuntime(engine, options),
    options.lifecycle ?? defaultLifecycleOptions,
  );
}
