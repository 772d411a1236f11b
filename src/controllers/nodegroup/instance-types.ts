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

type Size = [suffix: string, vcpu: number, memoryGiB: number, enis: number, ipv4PerEni: number];

// Per-size limits shared by a generation of families (EC2's published ENI table).
const burstable: Size[] = [
  ['nano', 2, 0.5, 2, 2],
  ['micro', 2, 1, 2, 2],
  ['small', 2, 2, 3, 4],
  ['medium', 2, 4, 3, 6],
  ['large', 2, 8, 3, 12],
  ['xlarge', 4, 16, 4, 15],
  ['2xlarge', 8, 32, 4, 15],
];
const general: Size[] = [
  ['large', 2, 8, 3, 10],
  ['xlarge', 4, 16, 4, 15],
  ['2xlarge', 8, 32, 4, 15],
  ['4xlarge', 16, 64, 8, 30],
  ['8xlarge', 32, 128, 8, 30],
  ['12xlarge', 48, 192, 8, 30],
  ['16xlarge', 64, 256, 15, 50],
  ['24xlarge', 96, 384, 15, 50],
];
const graviton: Size[] = [['medium', 1, 4, 2, 4], ...general.slice(0, 6), general[6]];
const halfMemory = (sizes: Size[]): Size[] => sizes.map(([s, c, m, e, i]) => [s, c, m / 2, e, i]);
const doubleMemory = (sizes: Size[]): Size[] => sizes.map(([s, c, m, e, i]) => [s, c, m * 2, e, i]);
const c5: Size[] = [
  ['large', 2, 4, 3, 10],
  ['xlarge', 4, 8, 4, 15],
  ['2xlarge', 8, 16, 4, 15],
  ['4xlarge', 16, 32, 8, 30],
  ['9xlarge', 36, 72, 8, 30],
  ['12xlarge', 48, 96, 8, 30],
  ['18xlarge', 72, 144, 15, 50],
  ['24xlarge', 96, 192, 15, 50],
];

const families: [family: string, arch: InstanceType['arch'], sizes: Size[]][] = [
  ['t3', 'amd64', burstable],
  ['t3a', 'amd64', burstable],
  ['t4g', 'arm64', burstable],
  ['m5', 'amd64', general],
  ['m5a', 'amd64', general],
  ['m6i', 'amd64', general],
  ['m6a', 'amd64', general],
  ['m7i', 'amd64', general],
  ['m6g', 'arm64', graviton],
  ['m7g', 'arm64', graviton],
  ['c5', 'amd64', c5],
  ['c6i', 'amd64', halfMemory(general)],
  ['c7i', 'amd64', halfMemory(general)],
  ['c6g', 'arm64', halfMemory(graviton)],
  ['c7g', 'arm64', halfMemory(graviton)],
  ['r5', 'amd64', doubleMemory(general)],
  ['r6i', 'amd64', doubleMemory(general)],
  ['r7i', 'amd64', doubleMemory(general)],
  ['r6g', 'arm64', doubleMemory(graviton)],
];

export const instanceTypes: ReadonlyMap<string, InstanceType> = new Map(
  families.flatMap(([family, arch, sizes]) =>
    sizes.map(([size, vcpu, memoryGiB, enis, ipv4PerEni]): [string, InstanceType] => {
      const name = `${family}.${size}`;
      return [name, { name, vcpu, memoryGiB, enis, ipv4PerEni, arch }];
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
