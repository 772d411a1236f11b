// EC2 instance types a node group may use: vCPUs, memory, ENIs and IPv4 addresses per ENI (the VPC CNI's limits),
// and from them the node's max pods and its capacity and allocatable as an EKS AMI's kubelet reports them.

export interface InstanceType {
  name: string;
  vcpu: number;
  memoryGiB: number;
  enis: number;
  ipv4PerEni: number;
  arch: 'amd64' | 'arm64';
}

// Burstable sizes: [vCPUs, memory GiB, ENIs, IPv4 addresses per ENI] (EC2's published ENI table).
const burstable: Record<string, [vcpu: number, memoryGiB: number, enis: number, ipv4PerEni: number]> = {
  nano: [2, 0.5, 2, 2],
  micro: [2, 1, 2, 2],
  small: [2, 2, 3, 4],
  medium: [2, 4, 3, 6],
  large: [2, 8, 3, 12],
  xlarge: [4, 16, 4, 15],
  '2xlarge': [8, 32, 4, 15],
};

// Fixed-performance sizes: [vCPUs, ENIs, IPv4 addresses per ENI]; memory is vCPUs × the family's GiB per vCPU.
const fixed: Record<string, [vcpu: number, enis: number, ipv4PerEni: number]> = {
  medium: [1, 2, 4],
  large: [2, 3, 10],
  xlarge: [4, 4, 15],
  '2xlarge': [8, 4, 15],
  '4xlarge': [16, 8, 30],
  '8xlarge': [32, 8, 30],
  '9xlarge': [36, 8, 30],
  '12xlarge': [48, 8, 30],
  '16xlarge': [64, 15, 50],
  '18xlarge': [72, 15, 50],
  '24xlarge': [96, 15, 50],
};

const intel = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'];
const graviton = ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];
const c5 = ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '18xlarge', '24xlarge'];

// [family, arch, GiB per vCPU (burstable: its own table), sizes]
const families: [family: string, arch: InstanceType['arch'], gibPerVcpu: number | 'burstable', sizes: string[]][] = [
  ['t3', 'amd64', 'burstable', Object.keys(burstable)],
  ['t3a', 'amd64', 'burstable', Object.keys(burstable)],
  ['t4g', 'arm64', 'burstable', Object.keys(burstable)],
  ['m5', 'amd64', 4, intel],
  ['m5a', 'amd64', 4, intel],
  ['m6i', 'amd64', 4, intel],
  ['m6a', 'amd64', 4, intel],
  ['m7i', 'amd64', 4, intel],
  ['m6g', 'arm64', 4, graviton],
  ['m7g', 'arm64', 4, graviton],
  ['c5', 'amd64', 2, c5],
  ['c6i', 'amd64', 2, intel],
  ['c7i', 'amd64', 2, intel],
  ['c6g', 'arm64', 2, graviton],
  ['c7g', 'arm64', 2, graviton],
  ['r5', 'amd64', 8, intel],
  ['r6i', 'amd64', 8, intel],
  ['r7i', 'amd64', 8, intel],
  ['r6g', 'arm64', 8, graviton],
];

function sizeOf(gibPerVcpu: number | 'burstable', size: string) {
  if (gibPerVcpu === 'burstable') {
    const [vcpu, memoryGiB, enis, ipv4PerEni] = burstable[size];
    return { vcpu, memoryGiB, enis, ipv4PerEni };
  }
  const [vcpu, enis, ipv4PerEni] = fixed[size];
  return { vcpu, memoryGiB: vcpu * gibPerVcpu, enis, ipv4PerEni };
}

export const instanceTypes: ReadonlyMap<string, InstanceType> = new Map(
  families.flatMap(([family, arch, gibPerVcpu, sizes]) =>
    sizes.map((size): [string, InstanceType] => {
      const name = `${family}.${size}`;
      return [name, { name, ...sizeOf(gibPerVcpu, size), arch }];
    }),
  ),
);

/** The type EKS uses when a node group names none. */
export const defaultInstanceType = 't3.medium';

export function instanceType(name: string): InstanceType | undefined {
  return instanceTypes.get(name);
}

/** The VPC CNI's limit (amazon-eks-ami eni-max-pods): one address per ENI is the ENI's own, plus 2 host-network pods. */
export function maxPods(type: InstanceType): number {
  return type.enis * (type.ipv4PerEni - 1) + 2;
}

/** kube-reserved CPU as EKS AMIs compute it: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% above. */
export function reservedCpuMillis(vcpu: number): number {
  const bands: [cores: number, percent: number][] = [
    [1, 6],
    [1, 1],
    [2, 0.5],
    [Number.POSITIVE_INFINITY, 0.25],
  ];
  let left = vcpu;
  let millis = 0;
  for (const [cores, percent] of bands) {
    const taken = Math.min(left, cores);
    millis += taken * 10 * percent;
    left -= taken;
  }
  return Math.round(millis);
}

/** kube-reserved memory as EKS AMIs compute it: 11 MiB per pod plus 255 MiB. */
export function reservedMemoryMiB(pods: number): number {
  return 11 * pods + 255;
}

/** The kubelet's hard eviction threshold `memory.available<100Mi` on EKS AMIs. */
export const evictionMemoryMiB = 100;

/** A 20 GiB root volume's filesystem as the kubelet reports it (the EKS default disk size). */
export const rootFilesystemKi = 20959212;

/**
 * The memory the kernel reports (MemTotal) is below the instance's nominal memory by what firmware and kernel keep:
 * 226824Ki on a t3.medium (it reports 3967480Ki of 4Gi), about 2.5% on large instances. An approximation
 * calibrated on observed nodes; EC2 does not publish MemTotal per type.
 */
export function memoryCapacityKi(memoryGiB: number): number {
  const nominalKi = memoryGiB * 1024 * 1024;
  return Math.floor(nominalKi - Math.max(226824, nominalKi * 0.025));
}

export interface NodeResources {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
}

/**
 * capacity and allocatable for a node of this type: allocatable = capacity − kube-reserved (CPU and memory as above,
 * 1Gi ephemeral storage) − the hard eviction thresholds (memory 100Mi, nodefs 10% computed as the kubelet does, with a
 * float32 0.1). Matches observed EKS nodes: 2 vCPUs → cpu 1930m, 8 → 7910m, 16 → 15890m; t3.medium memory
 * 3967480Ki → 3412472Ki; every 20 GiB root: ephemeral-storage 20959212Ki → 18242267924.
 */
export function nodeResources(type: InstanceType): NodeResources {
  const pods = maxPods(type);
  const memoryKi = memoryCapacityKi(type.memoryGiB);
  const allocatableMemoryKi = memoryKi - (reservedMemoryMiB(pods) + evictionMemoryMiB) * 1024;
  const storageBytes = rootFilesystemKi * 1024;
  const nodefsEviction = Math.floor(storageBytes * Math.fround(0.1));
  const allocatableStorage = storageBytes - 1024 ** 3 - nodefsEviction;
  const resources = (cpu: string, storage: string, memory: string) => ({
    cpu,
    'ephemeral-storage': storage,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory,
    pods: String(pods),
  });
  return {
    capacity: resources(String(type.vcpu), `${rootFilesystemKi}Ki`, `${memoryKi}Ki`),
    allocatable: resources(
      `${type.vcpu * 1000 - reservedCpuMillis(type.vcpu)}m`,
      String(allocatableStorage),
      `${allocatableMemoryKi}Ki`,
    ),
  };
}
