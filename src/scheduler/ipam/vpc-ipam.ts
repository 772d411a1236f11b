// The VPC's pod and node addresses, shared in-process by the fargate-scheduler and the node-group controller:
// remembers every claimed IP across subnet changes and hands out new ones through the pure SubnetIpam.
import type { SubnetInfo } from '../../cloud/facts.js';
import { type AllocationResult, SubnetIpam, type SubnetSpec, usableRange } from '../../fargate/ipam.js';
import type { KubeObject } from '../../kube/api/types.js';

export const podIpsAnnotation = 'skiff.io/pod-ips';

export class VpcIpam {
  private readonly claimed = new Set<string>();
  private subnetKey = '';
  private ipam = new SubnetIpam([]);

  constructor(subnets: SubnetInfo[]) {
    this.setSubnets(subnets);
  }

  /** Replaces the known subnets; claimed addresses stay claimed. Subnets whose CIDR AWS would refuse are ignored. */
  setSubnets(subnets: SubnetInfo[]): void {
    const specs: SubnetSpec[] = subnets
      .filter((s) => isUsable(s.cidrBlock))
      .map((s) => ({ subnetId: s.subnetId, cidr: s.cidrBlock, availabilityZone: s.availabilityZone }));
    const key = JSON.stringify(specs);
    if (key === this.subnetKey) return;
    this.subnetKey = key;
    this.ipam = new SubnetIpam(specs, this.claimed);
  }

  /** Marks an IP as used; idempotent (both users call it for the IPs of Nodes they see at start). */
  claim(ip: string): void {
    if (!isIpv4(ip)) return;
    this.claimed.add(ip);
    this.ipam.reserve(ip);
  }

  /** Claims the InternalIP and every `skiff.io/pod-ips` address of a Node object. */
  claimNode(node: KubeObject): void {
    for (const ip of nodeIps(node)) this.claim(ip);
  }

  /** One free address from one of `subnetIds`, spread across availability zones. */
  allocate(subnetIds: string[]): AllocationResult {
    const result = this.ipam.allocate(subnetIds);
    if (!('reason' in result)) this.claimed.add(result.ip);
    return result;
  }

  release(ip: string): void {
    this.claimed.delete(ip);
    if (isIpv4(ip)) this.ipam.release(ip);
  }

  /** Whether an address is currently claimed. */
  isClaimed(ip: string): boolean {
    return this.claimed.has(ip);
  }

  /** Free addresses left in one subnet (0 for an unknown subnet). */
  free(subnetId: string): number {
    return this.ipam.free(subnetId);
  }
}

/** The InternalIP and the `skiff.io/pod-ips` addresses of a Node. */
export function nodeIps(node: KubeObject): string[] {
  const ips: string[] = [];
  const addresses: { type?: string; address?: string }[] = node.status?.addresses ?? [];
  for (const a of addresses) if (a.type === 'InternalIP' && a.address) ips.push(a.address);
  const podIps = node.metadata.annotations?.[podIpsAnnotation];
  if (podIps) for (const ip of podIps.split(',')) if (ip.trim()) ips.push(ip.trim());
  return ips;
}

function isIpv4(ip: string): boolean {
  return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(ip) && ip.split('.').every((o) => Number(o) <= 255);
}

function isUsable(cidr: string): boolean {
  try {
    usableRange(cidr);
    return true;
  } catch {
    return false;
  }
}
