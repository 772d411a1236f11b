// Pod IPs from a profile's subnets: per-subnet allocation over IPv4 CIDRs that skips the five addresses AWS
// reserves in every subnet, spreads pods across availability zones, releases on delete, and says when all are full.
import { type Refusal, refuse } from './refusal.js';

export interface SubnetSpec {
  subnetId: string;
  cidr: string;
  availabilityZone: string;
}

export interface Allocation {
  ip: string;
  subnetId: string;
  availabilityZone: string;
}

export type AllocationResult = Allocation | Refusal<'SubnetsExhausted'>;

/** AWS reserves the network address, .1 (router), .2 (DNS), .3 (future use) and the broadcast address. */
export const reservedAtStart = 4;
export const reservedAtEnd = 1;

export function ipToInt(ip: string): number {
  const octets = ip.split('.');
  if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return octets.reduce((n, o) => n * 256 + Number(o), 0);
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The first and last address a pod may get in an AWS subnet (`/16` to `/28`), and how many there are. */
export function usableRange(cidr: string): { first: number; last: number; count: number } {
  const [address, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? '') || prefix < 16 || prefix > 28) {
    throw new Error(`subnet CIDR ${cidr} must have a prefix between /16 and /28`);
  }
  const size = 2 ** (32 - prefix);
  const network = ipToInt(address);
  if (network % size !== 0) throw new Error(`subnet CIDR ${cidr} is not aligned to its prefix`);
  const first = network + reservedAtStart;
  const last = network + size - 1 - reservedAtEnd;
  return { first, last, count: last - first + 1 };
}

interface SubnetState extends SubnetSpec {
  first: number;
  last: number;
  used: Set<number>;
  /** Next-fit cursor, so a just-released IP (and its node name) is not handed out again at once. */
  next: number;
}

/** Holds which addresses are taken; build it from the IPs already in use when a scheduler starts. */
export class SubnetIpam {
  private readonly subnets = new Map<string, SubnetState>();

  constructor(subnets: SubnetSpec[], inUse: Iterable<string> = []) {
    for (const spec of subnets) {
      const { first, last } = usableRange(spec.cidr);
      this.subnets.set(spec.subnetId, { ...spec, first, last, used: new Set(), next: first });
    }
    for (const ip of inUse) this.reserve(ip);
  }

  /** An IP from the given subnets (all when omitted), in the availability zone with the fewest pods so far. */
  allocate(subnetIds?: string[]): AllocationResult {
    const ids = subnetIds ?? [...this.subnets.keys()];
    const candidates = ids.map((id) => this.subnets.get(id)).filter((s) => s !== undefined);
    const perZone = new Map<string, number>();
    for (const s of candidates) perZone.set(s.availabilityZone, (perZone.get(s.availabilityZone) ?? 0) + s.used.size);
    const open = candidates
      .filter((s) => this.freeIn(s) > 0)
      .sort(
        (a, b) =>
          perZone.get(a.availabilityZone)! - perZone.get(b.availabilityZone)! || this.freeIn(b) - this.freeIn(a),
      );
    const subnet = open[0];
    if (!subnet) {
      const names = ids.length > 0 ? ids.join(', ') : '(none)';
      // Skiff's wording: EKS's own text for exhausted subnets is not public.
      return refuse('SubnetsExhausted', `No free IP addresses left in subnets ${names}`);
    }
    let n = subnet.next;
    while (subnet.used.has(n)) n = n === subnet.last ? subnet.first : n + 1;
    subnet.used.add(n);
    subnet.next = n === subnet.last ? subnet.first : n + 1;
    return { ip: intToIp(n), subnetId: subnet.subnetId, availabilityZone: subnet.availabilityZone };
  }

  /** Marks an IP as taken (a pod that already has it); false when it is in no subnet's usable range. */
  reserve(ip: string): boolean {
    const subnet = this.stateOf(ip);
    if (!subnet) return false;
    subnet.used.add(ipToInt(ip));
    return true;
  }

  release(ip: string): boolean {
    const subnet = this.stateOf(ip);
    return subnet ? subnet.used.delete(ipToInt(ip)) : false;
  }

  free(subnetId: string): number {
    const subnet = this.subnets.get(subnetId);
    return subnet ? this.freeIn(subnet) : 0;
  }

  subnetOf(ip: string): SubnetSpec | undefined {
    const s = this.stateOf(ip);
    return s && { subnetId: s.subnetId, cidr: s.cidr, availabilityZone: s.availabilityZone };
  }

  private stateOf(ip: string): SubnetState | undefined {
    const n = ipToInt(ip);
    for (const s of this.subnets.values()) if (n >= s.first && n <= s.last) return s;
    return undefined;
  }

  private freeIn(s: SubnetState): number {
    return s.last - s.first + 1 - s.used.size;
  }
}
