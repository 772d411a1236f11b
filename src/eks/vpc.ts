// The cluster's VPC: eksctl's default layout (10.0.0.0/16, a public and a private subnet in each of two zones,
// route tables that make them so), generated once with AWS-style ids; and the facts profile validation needs.
import { randomBytes } from 'node:crypto';
import type { SubnetFacts } from '../fargate/profile-validation.js';
import type { Backend } from '../store/types.js';
import { keys, type RouteTable, type Subnet, type Vpc } from './records.js';

export const awsId = (prefix: string) => `${prefix}-0${randomBytes(8).toString('hex')}`;

export function defaultVpcLayout(region: string, clusterName: string): Vpc {
  const internetGatewayId = awsId('igw');
  const natGatewayId = awsId('nat');
  const local = { destinationCidrBlock: '10.0.0.0/16', gatewayId: 'local' };
  const publicTable: RouteTable = {
    routeTableId: awsId('rtb'),
    routes: [local, { destinationCidrBlock: '0.0.0.0/0', gatewayId: internetGatewayId }],
  };
  const zones = [`${region}a`, `${region}b`];
  const privateTables: RouteTable[] = zones.map(() => ({
    routeTableId: awsId('rtb'),
    routes: [local, { destinationCidrBlock: '0.0.0.0/0', natGatewayId }],
  }));
  const subnet = (kind: 'Public' | 'Private', i: number, cidrBlock: string, routeTableId: string): Subnet => ({
    subnetId: awsId('subnet'),
    cidrBlock,
    availabilityZone: zones[i],
    routeTableId,
    tags: {
      Name: `skiff-${clusterName}-Subnet${kind}${zones[i].slice(-1).toUpperCase()}`,
      [kind === 'Public' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb']: '1',
    },
  });
  const subnets = [
    subnet('Public', 0, '10.0.0.0/18', publicTable.routeTableId),
    subnet('Public', 1, '10.0.64.0/18', publicTable.routeTableId),
    subnet('Private', 0, '10.0.128.0/18', privateTables[0].routeTableId),
    subnet('Private', 1, '10.0.192.0/18', privateTables[1].routeTableId),
  ];
  return {
    vpcId: awsId('vpc'),
    cidrBlock: '10.0.0.0/16',
    region,
    internetGatewayId,
    natGatewayId,
    subnets,
    routeTables: [publicTable, ...privateTables],
    securityGroupIds: [awsId('sg')],
    clusterSecurityGroupId: awsId('sg'),
  };
}

/** A subnet is public when its route table sends 0.0.0.0/0 to an internet gateway. */
export function isPublicSubnet(vpc: Vpc, subnet: Subnet): boolean {
  const table = vpc.routeTables.find((t) => t.routeTableId === subnet.routeTableId);
  return !!table?.routes.some((r) => r.destinationCidrBlock === '0.0.0.0/0' && r.gatewayId?.startsWith('igw-'));
}

export function subnetFacts(vpc: Vpc): SubnetFacts[] {
  return vpc.subnets.map((s) => ({ subnetId: s.subnetId, public: isPublicSubnet(vpc, s) }));
}

export async function readVpc(store: Backend, vpcId: string): Promise<Vpc | undefined> {
  const kv = await store.get(keys.vpc(vpcId));
  return kv ? (JSON.parse(kv.value) as Vpc) : undefined;
}

/** The VPC of a cluster (what the schedulers use to place Fargate pods in a profile's subnets). */
export async function clusterVpc(store: Backend, clusterName: string): Promise<Vpc | undefined> {
  const kv = await store.get(keys.cluster(clusterName));
  if (!kv) return undefined;
  return readVpc(store, (JSON.parse(kv.value) as { vpcId: string }).vpcId);
}
