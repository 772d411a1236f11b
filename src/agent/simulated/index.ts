// The simulated sandbox driver (`skiff up --runtime simulated`): the kubelet's pod lifecycle over simulated
// primitives whose timings are data (defaults, or a JSON/YAML file through loadSimulatedTimings).
import { release } from 'node:os';
import type { SandboxDriver } from '../driver.js';
import { LifecycleDriver } from '../lifecycle/driver.js';
import { hostOsImage, type NodeRuntimeInfo } from '../node-info.js';
import { SimulatedRuntime } from './runtime.js';
import { type SimulatedTimings, type SimulatedTimingsOverride, simulatedTimings } from './timings.js';

export { cpuAnnotation, memoryAnnotation } from './runtime.js';
export {
  defaultSimulatedTimings,
  loadSimulatedTimings,
  type SimulatedTimings,
  type SimulatedTimingsOverride,
  simulatedTimings,
} from './timings.js';

export function createSimulatedDriver(timings: SimulatedTimings | SimulatedTimingsOverride = {}): SandboxDriver {
  const full = simulatedTimings(timings);
  return new LifecycleDriver('simulated', new SimulatedRuntime(full), {
    backOff: { baseMs: full.backOffBaseMs, maxMs: full.backOffMaxMs },
    resyncMs: full.resyncMs,
  });
}

/** What nodes of the simulated runtime report: it names itself, so nobody takes its pods for running ones. */
export function simulatedNodeInfo(): NodeRuntimeInfo {
  return {
    containerRuntimeVersion: 'simulated://skiff',
    kernelVersion: release(),
    osImage: `Skiff simulated runtime, no container runs (host: ${hostOsImage()})`,
  };
}
