// The Node an EKS managed node group's EC2 instance registers: its `ip-…` name, the labels EKS, the kubelet and the
// AWS cloud provider put on it, the node group's taints, capacity by instance type, nodeInfo by AMI type, addresses.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { NodegroupInfo } from '../../cloud/facts.js';
import { eksKubeletVersion, kubeletConditions, kubeletPort, privateDnsName } from '../../fargate/naming.js';
import type { KubeObject } from '../../kube/api/types.js';
import { hostAnnotation } from '../../scheduler/hosts/room.js';
import { podIpsAnnotation } from '../../scheduler/ipam/vpc-ipam.js';
import { ownedAnnotations } from './follow.js';
import { type InstanceType, nodeResources } from './instance-types.js';

export const nodegroupLabel = 'eks.amazonaws.com/nodegroup';
export const instanceTypeLabel = 'node.kubernetes.io/instance-type';

function hex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/** A stand-in AMI id, stable for one AMI type, release and region (EKS's AMI ids are per region). */
export function amiId(region: string, amiType: string, releaseVersion: string): string {
  return `ami-${hex(`${region}/${amiType}/${releaseVersion}`, 17)}`;
}

/** EKS creates one launch template per node group; a stand-in id stable for the group. */
export function launchTemplateId(clusterName: string, nodegroup: string): string {
  return `lt-${hex(`${clusterName}/${nodegroup}`, 17)}`;
}

export function newInstanceId(): string {
  return `i-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/** `1.32.9-20251120` → 9; a release without a numeric patch → 0. */
export function patchOf(releaseVersion: string): number {
  const m = /^\d+\.\d+\.(\d+)/.exec(releaseVersion);
  return m ? Number(m[1]) : 0;
}

/** The CPU architecture an AMI type runs on (`AL2023_ARM_64_STANDARD` → arm64), else the instance type's. */
export function archOf(amiType: string, type: InstanceType): 'amd64' | 'arm64' {
  if (/ARM_64/.test(amiType)) return 'arm64';
  if (/x86_64/.test(amiType)) return 'amd64';
  return type.arch;
}

interface OsInfo {
  operatingSystem: 'linux' | 'windows';
  osImage: string;
  kernelVersion: string;
  containerRuntimeVersion: string;
}

/** What an AMI type's nodes report in nodeInfo (versions of a recent EKS AMI release). */
export function osInfo(amiType: string, arch: 'amd64' | 'arm64', kubernetesVersion: string): OsInfo {
  const machine = arch === 'arm64' ? 'aarch64' : 'x86_64';
  if (amiType.startsWith('AL2_')) {
    return {
      operatingSystem: 'linux',
      osImage: 'Amazon Linux 2',
      kernelVersion: `5.10.237-230.949.amzn2.${machine}`,
      containerRuntimeVersion: 'containerd://1.7.27',
    };
  }
  if (amiType.startsWith('BOTTLEROCKET')) {
    return {
      operatingSystem: 'linux',
      osImage: `Bottlerocket OS 1.41.0 (aws-k8s-${kubernetesVersion})`,
      kernelVersion: '6.1.140',
      containerRuntimeVersion: 'containerd://1.7.27+bottlerocket',
    };
  }
  if (amiType.startsWith('WINDOWS')) {
    return {
      operatingSystem: 'windows',
      osImage: 'Windows Server 2022 Datacenter',
      kernelVersion: '10.0.20348.3692',
      containerRuntimeVersion: 'containerd://1.7.27',
    };
  }
  return {
    operatingSystem: 'linux',
    osImage: 'Amazon Linux 2023.7.20250609',
    kernelVersion: `6.1.140-154.222.amzn2023.${machine}`,
    containerRuntimeVersion: 'containerd://1.7.27',
  };
}

export interface NodegroupNodeInput {
  clusterName: string;
  region: string;
  kubernetesVersion: string;
  nodegroup: NodegroupInfo;
  type: InstanceType;
  ip: string;
  zone: string;
  /** Secondary addresses for pods (as many as the type's max pods). */
  podIps: string[];
  host: string;
  instanceId: string;
  /** RFC 3339 time for the conditions. */
  now: string;
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function nodegroupNodeLabels(input: NodegroupNodeInput): Record<string, string> {
  const { nodegroup: ng, type, region, zone } = input;
  const arch = archOf(ng.amiType, type);
  const os = osInfo(ng.amiType, arch, input.kubernetesVersion).operatingSystem;
  return sorted({
    ...ng.labels,
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/instance-type': type.name,
    'beta.kubernetes.io/os': os,
    'eks.amazonaws.com/capacityType': ng.capacityType || 'ON_DEMAND',
    [nodegroupLabel]: ng.name,
    'eks.amazonaws.com/nodegroup-image': amiId(region, ng.amiType, ng.releaseVersion),
    'eks.amazonaws.com/sourceLaunchTemplateId': launchTemplateId(input.clusterName, ng.name),
    'eks.amazonaws.com/sourceLaunchTemplateVersion': '1',
    'failure-domain.beta.kubernetes.io/region': region,
    'failure-domain.beta.kubernetes.io/zone': zone,
    'k8s.io/cloud-provider-aws': hex(`cloud-provider-aws/${input.clusterName}`, 32),
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': privateDnsName(input.ip, region),
    'kubernetes.io/os': os,
    [instanceTypeLabel]: type.name,
    'topology.kubernetes.io/region': region,
    'topology.kubernetes.io/zone': zone,
  });
}

/** EC2 instances' SMBIOS UUIDs begin with `ec2`. */
function systemUuid(instanceId: string): string {
  const u = hex(`uuid/${instanceId}`, 29);
  return `ec2${u.slice(0, 5)}-${u.slice(5, 9)}-${u.slice(9, 13)}-${u.slice(13, 17)}-${u.slice(17, 29)}`;
}

/** The Node object, with full status, as it stands once the instance's kubelet has registered and is Ready. */
export function nodegroupNode(input: NodegroupNodeInput): KubeObject {
  const { nodegroup: ng, type, ip, region } = input;
  const dnsName = privateDnsName(ip, region);
  const arch = archOf(ng.amiType, type);
  const kubeletVersion = eksKubeletVersion(ng.version ?? input.kubernetesVersion, patchOf(ng.releaseVersion));
  const { capacity, allocatable } = nodeResources(type);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: dnsName,
      labels: nodegroupNodeLabels(input),
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': ip,
        'node.alpha.kubernetes.io/ttl': '0',
        [hostAnnotation]: input.host,
        [podIpsAnnotation]: input.podIps.join(','),
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        ...ownedAnnotations(ng),
      },
    },
    spec: {
      providerID: `aws:///${input.zone}/${input.instanceId}`,
      ...(ng.taints.length > 0 ? { taints: ng.taints.map((t) => ({ ...t })) } : {}),
    },
    status: {
      capacity,
      allocatable,
      conditions: kubeletConditions(input.now),
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'InternalDNS', address: dnsName },
        { type: 'Hostname', address: dnsName },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      nodeInfo: {
        machineID: hex(`machine/${input.instanceId}`, 32),
        systemUUID: systemUuid(input.instanceId),
        bootID: randomUUID(),
        ...osInfo(ng.amiType, arch, ng.version ?? input.kubernetesVersion),
        architecture: arch,
        kubeletVersion,
        kubeProxyVersion: kubeletVersion,
      },
    },
  };
}
