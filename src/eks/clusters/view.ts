// A cluster record as the API returns it (the `Cluster` shape of CreateCluster, DescribeCluster, DeleteCluster),
// with EKS' optional members. Other slices add members through `clusterMembers` (e.g. `identity.oidc.issuer`): each
// function returns the members it owns for one cluster.
import { type EksContext, requireClusterVpc } from '../context.js';
import { identityMember } from '../identity/issuer.js';
import { type ClusterRecord, defaultAccessConfig } from '../records.js';
import { endpointAccessOf, loggingOf } from './cluster-config.js';

export type ClusterMembers = (ctx: EksContext, cluster: ClusterRecord) => Promise<Record<string, unknown>>;

/** The functions whose members every Cluster the API returns carries. */
export const clusterMembers: ClusterMembers[] = [identityMember];

export async function clusterView(ctx: EksContext, cluster: ClusterRecord): Promise<Record<string, unknown>> {
  const vpc = await requireClusterVpc(ctx, cluster);
  const ready = cluster.endpoint !== '' && cluster.status !== 'CREATING';
  const extra = await Promise.all(clusterMembers.map((members) => members(ctx, cluster)));
  return {
    name: cluster.name,
    arn: cluster.arn,
    createdAt: cluster.createdAt,
    version: cluster.version,
    ...(ready ? { endpoint: cluster.endpoint } : {}),
    roleArn: cluster.roleArn,
    resourcesVpcConfig: {
      subnetIds: cluster.subnetIds ?? vpc.subnets.map((s) => s.subnetId),
      securityGroupIds: cluster.securityGroupIds ?? vpc.securityGroupIds,
      clusterSecurityGroupId: vpc.clusterSecurityGroupId,
      vpcId: vpc.vpcId,
      ...endpointAccessOf(cluster),
    },
    kubernetesNetworkConfig: { serviceIpv4Cidr: cluster.serviceIpv4Cidr, ipFamily: 'ipv4' },
    logging: { clusterLogging: loggingOf(cluster) },
    status: cluster.status,
    ...(ready ? { certificateAuthority: { data: cluster.certificateAuthorityData } } : { certificateAuthority: {} }),
    ...(cluster.clientRequestToken ? { clientRequestToken: cluster.clientRequestToken } : {}),
    platformVersion: cluster.platformVersion,
    tags: cluster.tags,
    ...(cluster.encryptionConfig ? { encryptionConfig: cluster.encryptionConfig } : {}),
    id: cluster.id,
    health: cluster.health ?? { issues: [] },
    accessConfig: cluster.accessConfig ?? defaultAccessConfig,
    upgradePolicy: cluster.upgradePolicy ?? { supportType: 'STANDARD' },
    deletionProtection: cluster.builtIn ? true : (cluster.deletionProtection ?? false),
    ...Object.assign({}, ...extra),
  };
}
