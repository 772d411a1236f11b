// The agent's public surface: startAgent (Skiff's kubelet for one host), the SandboxDriver interface, the
// lifecycle driver that real drivers can build on, and the simulated driver with its timings.
export { type Agent, type AgentIntervals, type AgentOptions, defaultAgentIntervals, startAgent } from './agent.js';
export type * from './driver.js';
export {
  agentEndpointAnnotation,
  capacityAnnotation,
  type HostCapacity,
  hostAnnotation,
  hostLeasePrefix,
  hostNameOf,
} from './host-lease.js';
export { defaultLifecycleOptions, LifecycleDriver } from './lifecycle/driver.js';
export type { LifecycleOptions } from './lifecycle/pod.js';
export { type ContainerExit, LaunchError, type RunningContainer, type SandboxRuntime } from './lifecycle/runtime.js';
export { hostNodeInfo, type NodeRuntimeInfo } from './node-info.js';
export { podIpsAnnotation } from './nodes.js';
export {
  cpuAnnotation,
  createSimulatedDriver,
  defaultSimulatedTimings,
  loadSimulatedTimings,
  type SimulatedTimings,
  type SimulatedTimingsOverride,
  simulatedNodeInfo,
  simulatedTimings,
} from './simulated/index.js';
