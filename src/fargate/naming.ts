// The node Fargate creates for each pod (reference §3.4): its name from the pod IP, labels, taint, annotations,
// addresses, host capacity, nodeInfo and kubelet conditions, as plain data a scheduler turns into a Node.

import { createHash } from 'node:crypto';
import { remembered } from './remembered.js';

/** The label on Fargate nodes (value `fargate`), also the pod annotation that opts out (`ec2`). */
export const computeTypeLabel = 'eks.amazonaws.com/compute-type';
/** The scheduler a captured pod names in spec.schedulerName, and the source of its scheduling events. */
export const fargateSchedulerName = 'fargate-scheduler';
export const fargateTaint = { key: computeTypeLabel, value: 'fargate', effect: 'NoSchedule' } as const;
export const kubeletPort = 10250;

/** The VPC private DNS suffix: `ec2.internal` in us-east-1, `<region>.compute.internal` elsewhere. */
export function privateDnsSuffix(region: string): string {
  return region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
}

const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function dashedIp(ip: string): string {
  const octets = ipv4.exec(ip)?.slice(1).map(Number);
  if (!octets?.every((o) => o <= 255)) throw new Error(`not an IPv4 address: ${ip}`);
  return octets.join('-');
}

/** `ip-10-42-11-96.us-west-2.compute.internal`: the EC2 private DNS name, also a Fargate node's hostname label. */
export function privateDnsName(ip: string, region: string): string {
  return `ip-${dashedIp(ip)}.${privateDnsSuffix(region)}`;
}

/** `fargate-ip-10-42-11-96.us-west-2.compute.internal`. */
export function fargateNodeName(ip: string, region: string): string {
  return `fargate-${privateDnsName(ip, region)}`;
}

/** Whether a Node is a Fargate node: its compute-type label says so. */
export function isFargateNode(node: { metadata: { labels?: Record<string, string> } }): boolean {
  return node.metadata.labels?.[computeTypeLabel] === 'fargate';
}

/** Whether a node name is a Fargate node's (`fargate-ip-…` with a valid IP). */
export function isFargateNodeName(name: string | undefined): boolean {
  return !!name?.startsWith('fargate-ip-') && ipFromNodeName(name) !== undefined;
}

const nodeNameIp = /^(?:fargate-)?ip-(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})\./;

/**
 * The pod IP a `fargate-ip-…` or `ip-…` node name carries, or undefined (each name read once: every change of every
 * Fargate pod reads its node's).
 */
export const ipFromNodeName = remembered((name: string): string | undefined => {
  const octets = nodeNameIp.exec(name)?.slice(1).map(Number) ?? [];
  return octets.length === 4 && octets.every((o) => o <= 255) ? octets.join('.') : undefined;
}, 16_384);

export function fargateNodeLabels(ip: string, region: string, zone: string): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    [computeTypeLabel]: 'fargate',
    'failure-domain.beta.kubernetes.io/region': region,
    'failure-domain.beta.kubernetes.io/zone': zone,
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': privateDnsName(ip, region),
    'kubernetes.io/os': 'linux',
    'topology.kubernetes.io/region': region,
    'topology.kubernetes.io/zone': zone,
  };
}

export const fargateNodeAnnotations: Readonly<Record<string, string>> = {
  'node.alpha.kubernetes.io/ttl': '0',
  'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
};

/** A release's EKS kubelet version, asked for every new node: the hash made once per release. */
const kubeletVersionOf = remembered(
  (release: string) => `v${release}-eks-${createHash('sha1').update(`eks-${release}`).digest('hex').slice(0, 7)}`,
);

/** `v1.32.9-eks-1a2b3c4`: the EKS build of a Kubernetes release; the hash is a stable stand-in for EKS's commit. */
export function eksKubeletVersion(kubernetesVersion: string, patch: number): string {
  return kubeletVersionOf(`${kubernetesVersion.replace(/^v/, '')}.${patch}`);
}

export interface FargateNodeInput {
  ip: string;
  region: string;
  zone: string;
  /** e.g. `v1.32.9-eks-1a2b3c4` (see eksKubeletVersion). */
  kubeletVersion: string;
  /** The pod's size, to make the reported host at least as large. */
  cpuMillis: number;
  memoryMiB: number;
  ephemeralStorageGiB: number;
  /** RFC 3339 time for the conditions. */
  now: string;
}

/** The host observed under a 0.25 vCPU / 0.5 GB / 20 GiB pod (containers-roadmap#1248). */
export const minimumHost = { cpu: 2, memoryKi: 4037540, ephemeralStorageKi: 30832548 } as const;

/** The observed host, grown by whatever the pod has beyond the smallest size, so it always holds the pod. */
export function fargateNodeCapacity(input: Pick<FargateNodeInput, 'cpuMillis' | 'memoryMiB' | 'ephemeralStorageGiB'>) {
  const cpu = Math.max(minimumHost.cpu, Math.ceil(input.cpuMillis / 1000));
  const memoryKi = minimumHost.memoryKi + Math.max(0, input.memoryMiB - 512) * 1024;
  const storageKi = minimumHost.ephemeralStorageKi + Math.max(0, input.ephemeralStorageGiB - 20) * 1024 * 1024;
  return { cpu: String(cpu), memory: `${memoryKi}Ki`, 'ephemeral-storage': `${storageKi}Ki`, pods: '1' };
}

export function kubeletConditions(now: string) {
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  return [
    condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/** Everything the Node object of a Fargate pod carries, as metadata, spec and status. */
export function fargateNode(input: FargateNodeInput) {
  const capacity = fargateNodeCapacity(input);
  return {
    metadata: {
      name: fargateNodeName(input.ip, input.region),
      labels: fargateNodeLabels(input.ip, input.region, input.zone),
      annotations: { ...fargateNodeAnnotations },
    },
    spec: { taints: [{ ...fargateTaint }] },
    status: {
      capacity,
      allocatable: { ...capacity },
      addresses: [
        { type: 'InternalIP', address: input.ip },
        { type: 'Hostname', address: privateDnsName(input.ip, input.region) },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        osImage: 'Amazon Linux 2',
        kernelVersion: '5.10.240-238.959.amzn2.x86_64',
        containerRuntimeVersion: 'containerd://1.7.27',
        kubeletVersion: input.kubeletVersion,
        kubeProxyVersion: input.kubeletVersion,
      },
      conditions: kubeletConditions(input.now),
    },
  };
}
