// Load balancer names and addresses as the AWS Load Balancer Controller and ELB make them. The name is the
// controller's: `k8s-<namespace 8>-<name 8>-<hash 10>` for one Ingress or Service, `k8s-<group 17>-<hash 10>` for an
// explicit Ingress group, the hash a SHA-256 of the cluster, the group and the scheme. The address has ELB's shape
// (ALB `<name>-<number>.<region>.elb…`, NLB `<name>-<16 hex>.elb.<region>…`, `internal-` before internal ones) under
// `.localhost` instead of `.amazonaws.com`: curl and browsers resolve every `*.localhost` name to loopback, so the
// address opens from the host as printed, with no change to the host's resolver.
import { createHash } from 'node:crypto';

export type LoadBalancerType = 'application' | 'network';
export type Scheme = 'internal' | 'internet-facing';

export const addressDomain = 'localhost';

const invalid = /[^A-Za-z0-9]/g;

export interface NameInput {
  clusterName: string;
  /** The Ingress group's or Service's identity: `namespace/name`, or an explicit group's name. */
  groupId: string;
  scheme: Scheme;
  /** An explicit `alb.ingress.kubernetes.io/group.name`. */
  explicitGroup?: boolean;
  /** `alb.ingress.kubernetes.io/load-balancer-name`, which the controller uses as it is. */
  customName?: string;
}

const hashOf = (input: NameInput) =>
  createHash('sha256').update(input.clusterName).update(input.groupId).update(input.scheme).digest('hex');

/** The load balancer's name (at most 32 characters, as ELB allows). */
export function loadBalancerName(input: NameInput): string {
  if (input.customName) return input.customName;
  const uuid = hashOf(input);
  if (input.explicitGroup) return `k8s-${input.groupId.replace(invalid, '').slice(0, 17)}-${uuid.slice(0, 10)}`;
  const [namespace = '', name = ''] = input.groupId.split('/');
  return `k8s-${namespace.replace(invalid, '').slice(0, 8)}-${name.replace(invalid, '').slice(0, 8)}-${uuid.slice(0, 10)}`;
}

/** The load balancer's DNS name, stable for the same cluster, group and scheme. */
export function loadBalancerAddress(type: LoadBalancerType, input: NameInput, region: string): string {
  const name = loadBalancerName(input);
  const uuid = hashOf(input);
  const prefix = input.scheme === 'internal' ? 'internal-' : '';
  if (type === 'network') return `${prefix}${name}-${uuid.slice(10, 26)}.elb.${region}.${addressDomain}`.toLowerCase();
  const number = Number.parseInt(uuid.slice(26, 34), 16) % 2_000_000_000;
  return `${prefix}${name}-${number}.${region}.elb.${addressDomain}`.toLowerCase();
}
