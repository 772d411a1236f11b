// The Service CIDR of a new cluster: EKS' default (10.100.0.0/16, or 172.20.0.0/16 when the VPC is inside
// 10.0.0.0/8) and its rules for a chosen one (a private range, /12 to /24, not overlapping the VPC).
import { invalidParameter } from '../errors.js';

interface Range {
  base: number;
  bits: number;
}

function parse(cidr: string): Range | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  return { base: octets.reduce((n, o) => n * 256 + o, 0), bits };
}

const size = (r: Range) => 2 ** (32 - r.bits);
const within = (inner: Range, outer: Range) =>
  inner.bits >= outer.bits && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
const overlaps = (a: Range, b: Range) => a.base < b.base + size(b) && b.base < a.base + size(a);
const privateRanges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parse(c) as Range);

export function defaultServiceCidr(vpcCidr: string): string {
  const vpc = parse(vpcCidr);
  return vpc && within(vpc, privateRanges[0]) ? '172.20.0.0/16' : '10.100.0.0/16';
}

export function checkServiceCidr(cidr: string, vpcCidr: string, clusterName: string): void {
  const range = parse(cidr);
  const vpc = parse(vpcCidr);
  const fail = (why: string) =>
    invalidParameter(`The specified serviceIpv4Cidr ${cidr} is invalid: ${why}`, { clusterName });
  if (!range || range.base % size(range) !== 0) throw fail('it is not an IPv4 CIDR block.');
  if (range.bits < 12 || range.bits > 24) throw fail('the block must be between /12 and /24.');
  if (!privateRanges.some((p) => within(range, p))) {
    throw fail('it must be within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.');
  }
  if (vpc && overlaps(range, vpc)) throw fail(`it overlaps the VPC CIDR ${vpcCidr}.`);
}

/** The n-th address of the block (1: the `kubernetes` Service, 10: kube-dns), as EKS assigns them. */
export function serviceAddress(cidr: string, n: number): string {
  const range = parse(cidr) as Range;
  const ip = range.base + n;
  return [24, 16, 8, 0].map((shift) => Math.floor(ip / 2 ** shift) % 256).join('.');
}
