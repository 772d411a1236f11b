// This machine as a Skiff host: the agent (Skiff's kubelet) with the sandbox driver the runtime names, registered
// under the machine's host name. The simulated driver's timings come from D/simulated.yaml when it exists.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { hostNameOf } from '../../agent/host-lease.js';
import { type Agent, createSimulatedDriver, loadSimulatedTimings, startAgent } from '../../agent/index.js';
import type { KubeClient } from '../../kube/client/types.js';

/**
 * What a simulated host offers: room for 10,000 sandboxes and the CPU and memory to match, so that placement is
 * limited by the cluster's own rules (subnet addresses, node-group sizes) rather than by this machine.
 */
export const simulatedHostCapacity = { cpuMillis: 10_000 * 16_000, memoryMiB: 10_000 * 122_880, sandboxes: 10_000 };

export function simulatedTimingsPath(dataDir: string): string {
  return join(dataDir, 'simulated.yaml');
}

export function startSimulatedHost(client: KubeClient, dataDir: string): Promise<Agent> {
  return startAgent({
    client,
    hostName: hostNameOf(hostname()),
    capacity: simulatedHostCapacity,
    driver: createSimulatedDriver(loadSimulatedTimings(simulatedTimingsPath(dataDir))),
    onError: (error) => {
      if (process.env.SKIFF_DEBUG) console.error('agent:', error);
    },
  });
}
