// EC2's read calls that aws, eksctl and Terraform make about a cluster's network — DescribeVpcs, DescribeSubnets,
// DescribeRouteTables, DescribeSecurityGroups, DescribeAvailabilityZones — answered from Skiff's VPC records
// (src/eks/vpc.ts) with EC2's shapes, filters and NotFound errors.
import type { Backend } from '../../store/types.js';
import { type ClusterRecord, keys, type Vpc } from '../records.js';
import { isPublicSubnet } from '../vpc.js';
import { type Filterable, filters, matches, numbered, tagSet } from './query.js';
import { Ec2Error, ec2Response, type XmlValue } from './xml.js';

export interface Ec2Context {
  store: Backend;
  region: string;
  accountId: string;
}

interface Row {
  id: string;
  filterable: Filterable;
  xml: XmlValue;
}

async function vpcs(ctx: Ec2Context): Promise<Vpc[]> {
  const { items } = await ctx.store.list('/eks/vpcs/');
  return items.map((kv) => JSON.parse(kv.value) as Vpc);
}

/** The cluster whose VPC it is (the built-in cluster made it): its name goes into resource names as eksctl's would. */
async function ownerName(ctx: Ec2Context, vpc: Vpc): Promise<string> {
  const { items } = await ctx.store.list(keys.clusters());
  const clusters = items.map((kv) => JSON.parse(kv.value) as ClusterRecord).filter((c) => c.vpcId === vpc.vpcId);
  return (clusters.find((c) => c.builtIn) ?? clusters[0])?.name ?? 'skiff';
}

const zoneWords: Record<string, string> = {
  northeast: 'ne',
  southeast: 'se',
  northwest: 'nw',
  southwest: 'sw',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
};

/** `ap-northeast-2a` → `apne2-az1`, EKS-style zone ids. */
export function zoneId(zone: string): string {
  const [area, word, rest] = zone.split('-');
  const letter = rest.slice(-1);
  return `${area}${zoneWords[word] ?? word[0]}${rest.slice(0, -1)}-az${letter.charCodeAt(0) - 96}`;
}

/** Rows selected by the call's id list (each id must exist: EC2's NotFound error otherwise) and its filters. */
function select(rows: Row[], params: URLSearchParams, idParam: string, notFound: (id: string) => Ec2Error): XmlValue[] {
  const ids = numbered(params, idParam);
  for (const id of ids) if (!rows.some((r) => r.id === id)) throw notFound(id);
  const wanted = filters(params);
  return rows
    .filter((r) => (ids.length === 0 || ids.includes(r.id)) && matches(r.filterable, wanted))
    .map((r) => r.xml);
}

const size = (cidr: string) => 2 ** (32 - Number(cidr.split('/')[1]));

async function describeVpcs(ctx: Ec2Context, params: URLSearchParams) {
  const rows: Row[] = [];
  for (const vpc of await vpcs(ctx)) {
    const tags = { Name: `skiff-${await ownerName(ctx, vpc)}/VPC` };
    rows.push({
      id: vpc.vpcId,
      filterable: {
        fields: {
          'vpc-id': [vpc.vpcId],
          'cidr-block': [vpc.cidrBlock],
          cidr: [vpc.cidrBlock],
          'cidr-block-association.cidr-block': [vpc.cidrBlock],
          state: ['available'],
          'is-default': ['false'],
          'owner-id': [ctx.accountId],
        },
        tags,
      },
      xml: {
        vpcId: vpc.vpcId,
        ownerId: ctx.accountId,
        state: 'available',
        cidrBlock: vpc.cidrBlock,
        cidrBlockAssociationSet: [
          {
            cidrBlock: vpc.cidrBlock,
            associationId: `vpc-cidr-assoc-${vpc.vpcId.slice(4)}`,
            cidrBlockState: { state: 'associated' },
          },
        ],
        dhcpOptionsId: `dopt-${vpc.vpcId.slice(4)}`,
        instanceTenancy: 'default',
        isDefault: false,
        tagSet: tagSet(tags),
      },
    });
  }
  return {
    vpcSet: select(
      rows,
      params,
      'VpcId',
      (id) => new Ec2Error('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`),
    ),
  };
}

async function describeSubnets(ctx: Ec2Context, params: URLSearchParams) {
  const rows: Row[] = [];
  for (const vpc of await vpcs(ctx)) {
    for (const subnet of vpc.subnets) {
      const isPublic = isPublicSubnet(vpc, subnet);
      const arn = `arn:aws:ec2:${ctx.region}:${ctx.accountId}:subnet/${subnet.subnetId}`;
      rows.push({
        id: subnet.subnetId,
        filterable: {
          fields: {
            'subnet-id': [subnet.subnetId],
            'subnet-arn': [arn],
            'vpc-id': [vpc.vpcId],
            'availability-zone': [subnet.availabilityZone],
            'availability-zone-id': [zoneId(subnet.availabilityZone)],
            'cidr-block': [subnet.cidrBlock],
            cidr: [subnet.cidrBlock],
            cidrBlock: [subnet.cidrBlock],
            state: ['available'],
            'default-for-az': ['false'],
            'map-public-ip-on-launch': [String(isPublic)],
            'owner-id': [ctx.accountId],
          },
          tags: subnet.tags,
        },
        xml: {
          subnetId: subnet.subnetId,
          subnetArn: arn,
          state: 'available',
          ownerId: ctx.accountId,
          vpcId: vpc.vpcId,
          cidrBlock: subnet.cidrBlock,
          ipv6CidrBlockAssociationSet: [],
          availableIpAddressCount: size(subnet.cidrBlock) - 5,
          availabilityZone: subnet.availabilityZone,
          availabilityZoneId: zoneId(subnet.availabilityZone),
          defaultForAz: false,
          mapPublicIpOnLaunch: isPublic,
          assignIpv6AddressOnCreation: false,
          tagSet: tagSet(subnet.tags),
        },
      });
    }
  }
  return {
    subnetSet: select(
      rows,
      params,
      'SubnetId',
      (id) => new Ec2Error('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`),
    ),
  };
}

async function describeRouteTables(ctx: Ec2Context, params: URLSearchParams) {
  const rows: Row[] = [];
  for (const vpc of await vpcs(ctx)) {
    for (const table of vpc.routeTables) {
      const subnets = vpc.subnets.filter((s) => s.routeTableId === table.routeTableId);
      const tags = {
        Name: `skiff-${await ownerName(ctx, vpc)}/RouteTable${subnets.some((s) => isPublicSubnet(vpc, s)) ? 'Public' : 'Private'}`,
      };
      rows.push({
        id: table.routeTableId,
        filterable: {
          fields: {
            'route-table-id': [table.routeTableId],
            'vpc-id': [vpc.vpcId],
            'association.subnet-id': subnets.map((s) => s.subnetId),
            'association.main': ['false'],
            'route.destination-cidr-block': table.routes.map((r) => r.destinationCidrBlock),
            'route.gateway-id': table.routes.flatMap((r) => (r.gatewayId ? [r.gatewayId] : [])),
            'route.nat-gateway-id': table.routes.flatMap((r) => (r.natGatewayId ? [r.natGatewayId] : [])),
            'owner-id': [ctx.accountId],
          },
          tags,
        },
        xml: {
          routeTableId: table.routeTableId,
          vpcId: vpc.vpcId,
          ownerId: ctx.accountId,
          routeSet: table.routes.map((r) => ({
            destinationCidrBlock: r.destinationCidrBlock,
            ...(r.gatewayId ? { gatewayId: r.gatewayId } : {}),
            ...(r.natGatewayId ? { natGatewayId: r.natGatewayId } : {}),
            state: 'active',
            origin: r.gatewayId === 'local' ? 'CreateRouteTable' : 'CreateRoute',
          })),
          associationSet: subnets.map((s) => ({
            routeTableAssociationId: `rtbassoc-${s.subnetId.slice(7)}`,
            routeTableId: table.routeTableId,
            subnetId: s.subnetId,
            main: false,
            associationState: { state: 'associated' },
          })),
          propagatingVgwSet: [],
          tagSet: tagSet(tags),
        },
      });
    }
  }
  return {
    routeTableSet: select(
      rows,
      params,
      'RouteTableId',
      (id) => new Ec2Error('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`),
    ),
  };
}

async function describeSecurityGroups(ctx: Ec2Context, params: URLSearchParams) {
  const rows: Row[] = [];
  for (const vpc of await vpcs(ctx)) {
    const owner = await ownerName(ctx, vpc);
    const groups = [
      ...vpc.securityGroupIds.map((id) => ({
        id,
        name: `skiff-${owner}-ControlPlaneSecurityGroup`,
        description: 'Communication between the control plane and worker nodegroups',
        self: false,
      })),
      {
        id: vpc.clusterSecurityGroupId,
        name: `eks-cluster-sg-${owner}`,
        description:
          'EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.',
        self: true,
      },
    ];
    for (const group of groups) {
      const tags = { Name: group.name, [`kubernetes.io/cluster/${owner}`]: 'owned' };
      const allowAll = {
        ipProtocol: '-1',
        groups: [],
        ipRanges: [{ cidrIp: '0.0.0.0/0' }],
        ipv6Ranges: [],
        prefixListIds: [],
      };
      rows.push({
        id: group.id,
        filterable: {
          fields: {
            'group-id': [group.id],
            'group-name': [group.name],
            description: [group.description],
            'vpc-id': [vpc.vpcId],
            'owner-id': [ctx.accountId],
          },
          tags,
        },
        xml: {
          ownerId: ctx.accountId,
          groupId: group.id,
          groupName: group.name,
          groupDescription: group.description,
          vpcId: vpc.vpcId,
          ipPermissions: group.self
            ? [
                {
                  ipProtocol: '-1',
                  groups: [{ userId: ctx.accountId, groupId: group.id }],
                  ipRanges: [],
                  ipv6Ranges: [],
                  prefixListIds: [],
                },
              ]
            : [],
          ipPermissionsEgress: [allowAll],
          tagSet: tagSet(tags),
        },
      });
    }
  }
  const names = numbered(params, 'GroupName');
  const byName = names.length ? rows.filter((r) => names.includes(r.filterable.fields['group-name'][0])) : rows;
  for (const name of names) {
    if (!byName.some((r) => r.filterable.fields['group-name'][0] === name)) {
      throw new Ec2Error('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC 'none'`);
    }
  }
  return {
    securityGroupInfo: select(
      byName,
      params,
      'GroupId',
      (id) => new Ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist`),
    ),
  };
}

async function describeAvailabilityZones(ctx: Ec2Context, params: URLSearchParams) {
  const zones = [...new Set((await vpcs(ctx)).flatMap((v) => v.subnets.map((s) => s.availabilityZone)))].sort();
  const rows: Row[] = zones.map((zone) => {
    const fields = {
      'zone-name': [zone],
      'zone-id': [zoneId(zone)],
      state: ['available'],
      'region-name': [ctx.region],
      'group-name': [ctx.region],
      'opt-in-status': ['opt-in-not-required'],
      'zone-type': ['availability-zone'],
    };
    return {
      id: zone,
      filterable: { fields, tags: {} },
      xml: {
        zoneName: zone,
        zoneId: zoneId(zone),
        zoneState: 'available',
        regionName: ctx.region,
        groupName: ctx.region,
        optInStatus: 'opt-in-not-required',
        networkBorderGroup: ctx.region,
        zoneType: 'availability-zone',
        messageSet: [],
      },
    };
  });
  const ids = numbered(params, 'ZoneId');
  const byId = ids.length ? rows.filter((r) => ids.includes(r.filterable.fields['zone-id'][0])) : rows;
  return {
    availabilityZoneInfo: select(
      byId,
      params,
      'ZoneName',
      (name) =>
        new Ec2Error('InvalidParameterValue', `The zone '${name}' does not exist in the region '${ctx.region}'.`),
    ),
  };
}

const actions: Record<string, (ctx: Ec2Context, params: URLSearchParams) => Promise<Record<string, XmlValue>>> = {
  DescribeVpcs: describeVpcs,
  DescribeSubnets: describeSubnets,
  DescribeRouteTables: describeRouteTables,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeAvailabilityZones: describeAvailabilityZones,
};

/** One EC2 query request: the response document, or EC2's error document. */
export async function answerEc2(ctx: Ec2Context, params: URLSearchParams): Promise<{ status: number; xml: string }> {
  const action = params.get('Action') ?? '';
  try {
    const handler = actions[action];
    if (!handler) throw new Ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`);
    return { status: 200, xml: ec2Response(action, await handler(ctx, params)) };
  } catch (error) {
    if (error instanceof Ec2Error) return { status: error.status, xml: error.xml() };
    throw error;
  }
}
