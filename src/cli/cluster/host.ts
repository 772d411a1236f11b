// This machine as a Skiff host: the agent (Skiff's kubelet) with the sandbox driver the runtime names, registered
// under the machine's host name — simulated (timings from D/simulated.yaml when it exists), or process (runc
// containers in Skiff's containerd, sized to this machine).
import { cpus, hostname, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { podContractOf } from '../../agent/contract/index.js';
import type { ContainerEngine } from '../../agent/engine/engine.js';
import type { PullSecret } from '../../agent/engine/index.js';
import type { EngineVersions } from '../../agent/engine/versions.js';
import { hostNameOf } from '../../agent/host-lease.js';
import {
  type Agent,
  createSimulatedDriver,
  hostNodeInfo,
  loadSimulatedTimings,
  simulatedNodeInfo,
  startAgent,
} from '../../agent/index.js';
import { createProcessDriver } from '../../agent/process/index.js';
import type { Logger } from '../../client/logger.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { issueAgentServingCert } from '../../kube/pki/agent-certs.js';

/**
 * What a simulated host offers: room for 10,000 sandboxes and the CPU and memory to match, so that placement is
 * limited by the cluster's own rules (subnet addresses, node-group sizes) rather than by this machine.
 */
export const simulatedHostCapacity = { cpuMillis: 10_000 * 16_000, memoryMiB: 10_000 * 122_880, sandboxes: 10_000 };

export function simulatedTimingsPath(dataDir: string): string {
  return join(dataDir, 'simulated.yaml');
}

/** The agent's serving certificate, from the cluster CA in `pkiDir`. */
function agentTls(pkiDir: string, hostName: string) {
  return issueAgentServingCert(pkiDir, hostName);
}

export async function startSimulatedHost(
  client: KubeClient,
  dataDir: string,
  pkiDir: string,
  logger: Logger,
): Promise<Agent> {
  const hostName = hostNameOf(hostname());
  const onError = logger.errors('agent');
  return startAgent({
    client,
    hostName,
    tls: await agentTls(pkiDir, hostName),
    capacity: simulatedHostCapacity,
    driver: createSimulatedDriver(loadSimulatedTimings(simulatedTimingsPath(dataDir))),
    nodeInfo: simulatedNodeInfo(),
    onError,
  });
}

/** The imagePullSecrets a pod names, as the API holds them; missing ones are skipped as the kubelet does. */
function pullSecretReader(client: KubeClient) {
  return async (namespace: string, names: string[]): Promise<PullSecret[]> => {
    const ref = { apiVersion: 'v1', kind: 'Secret', namespace };
    const found = await Promise.all(names.map((name) => client.get<KubeObject>(ref, name).catch(() => undefined)));
    return found.filter((secret): secret is KubeObject => secret !== undefined) as PullSecret[];
  };
}

/**
 * What a process host offers. Nodes are placed by their nominal size (a node group's instance type, a Fargate
 * pod's provisioned size), but containers only take what they use within their limits, so the host advertises its
 * CPUs 8 times and its memory 4 times over, as a node's allocatable is overcommitted by limits; 110 sandboxes, the
 * kubelet's default pod count.
 */
export function machineCapacity() {
  return { cpuMillis: cpus().length * 8000, memoryMiB: Math.floor((4 * totalmem()) / 2 ** 20), sandboxes: 110 };
}

export async function startProcessHost(
  client: KubeClient,
  engine: ContainerEngine,
  versions: EngineVersions,
  pkiDir: string,
  logger: Logger,
): Promise<Agent> {
  const hostName = hostNameOf(hostname());
  const onError = logger.errors('agent');
  const contract = podContractOf(client, join(dirname(engine.paths.dir), 'sandboxes'));
  await contract.removeLeftovers();
  return startAgent({
    client,
    hostName,
    tls: await agentTls(pkiDir, hostName),
    capacity: machineCapacity(),
    nodeInfo: hostNodeInfo(`containerd://${versions.containerd}`),
    driver: createProcessDriver(engine, { pullSecrets: pullSecretReader(client), contract, onError }),
    onError,
  });
}
