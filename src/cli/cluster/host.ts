// This machine as a Skiff host: the agent (Skiff's kubelet) with the sandbox driver the runtime names, registered
// under the machine's host name — simulated (timings from D/simulated.yaml when it exists), process (runc
// containers in Skiff's containerd, sized to this machine), or microvm (Fargate pods in QEMU micro-VMs, node-group
// pods on process).
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
import {
  ComputeSplitDriver,
  createMicroVmDriver,
  guestKernelRelease,
  prepareGuest,
  qemuVersion,
} from '../../agent/microvm/index.js';
import { createProcessDriver } from '../../agent/process/index.js';
import type { Logger } from '../../client/logger.js';
import { computeTypeLabel } from '../../fargate/naming.js';
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
  /** Where its pods' files go (each cluster of the process has its own). */
  sandboxesDir = join(dirname(engine.paths.dir), 'sandboxes'),
): Promise<Agent> {
  const hostName = hostNameOf(hostname());
  const onError = logger.errors('agent');
  const contract = podContractOf(client, sandboxesDir);
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

/**
 * A host whose Fargate pods run in QEMU micro-VMs and node-group pods as runc containers: the guest kernel and init
 * are built first when this machine has none (a progress line), and the accelerator is probed once. Fargate nodes
 * report the guest kernel as their kernelVersion. `onlyWithKvm`: under TCG, keep every pod on the process driver.
 */
export async function startMicroVmHost(
  client: KubeClient,
  engine: ContainerEngine,
  versions: EngineVersions,
  pkiDir: string,
  onlyWithKvm: boolean,
  logger: Logger,
): Promise<{ agent: Agent; summary: string; stopVms(): Promise<void> } | { agent?: undefined; why: string }> {
  const guest = await prepareGuest((line) => process.stderr.write(`${line}\n`));
  if (onlyWithKvm && guest.accel.accel !== 'kvm') return { why: guest.accel.reason };
  const hostName = hostNameOf(hostname());
  const onError = logger.errors('agent');
  const sandboxes = join(dirname(engine.paths.dir), 'sandboxes');
  const contract = podContractOf(client, sandboxes);
  const pullSecrets = pullSecretReader(client);
  const host = hostNodeInfo(`containerd://${versions.containerd}`);
  const fargateInfo = { ...host, kernelVersion: guestKernelRelease(guest.kernel) ?? host.kernelVersion };
  const microvm = createMicroVmDriver(engine, guest, {
    contract,
    pullSecrets,
    onError,
    annotateNode: async (name, annotations) => {
      await client.patch({ apiVersion: 'v1', kind: 'Node' }, name, { metadata: { annotations } }, 'merge');
    },
  });
  // The VMs a previous run left go first (their snapshots and taps), then the contract's files under D/sandboxes.
  await microvm.runtime.removeLeftovers();
  await contract.removeLeftovers();
  const processDriver = createProcessDriver(engine, { pullSecrets, contract, onError });
  const agent = await startAgent({
    client,
    hostName,
    tls: await agentTls(pkiDir, hostName),
    capacity: machineCapacity(),
    nodeInfo: (node) => (node.metadata.labels?.[computeTypeLabel] === 'fargate' ? fargateInfo : host),
    driver: new ComputeSplitDriver(microvm, processDriver),
    onError,
  });
  const accel = guest.accel.accel === 'kvm' ? 'KVM' : `TCG: ${guest.accel.reason}`;
  const summary = `microvm for Fargate pods (QEMU ${qemuVersion()}, ${accel}; guest kernel ${fargateInfo.kernelVersion}), process for node-group pods (runc ${versions.runc}, containerd ${versions.containerd})`;
  return { agent, summary, stopVms: () => microvm.runtime.stopAll() };
}
