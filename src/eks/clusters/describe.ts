// DescribeCluster: GET /clusters/{name} → {"cluster": Cluster}, the fields aws eks update-kubeconfig reads.
import { type EksContext, requireCluster, requireClusterVpc } from '../context.js';
import { clusterIdentity } from '../identity/issuer.js';
import { defaultAccessConfig } from '../records.js';
import type { Route } from '../router.js';

export const describeCluster: Route = async (ctx: EksContext, { params }) => {
  const cluster = await requireCluster(ctx, params.name);
  const vpc = await requireClusterVpc(ctx, cluster);
  return {
    cluster: {
      name: cluster.name,
      arn: cluster.arn,
      createdAt: cluster.createdAt,
      version: cluster.version,
      endpoint: cluster.endpoint,
      roleArn: cluster.roleArn,
      resourcesVpcConfig: {
        subnetIds: vpc.subnets.map((s) => s.subnetId),
        securityGroupIds: vpc.securityGroupIds,
        clusterSecurityGroupId: vpc.clusterSecurityGroupId,
        vpcId: vpc.vpcId,
        endpointPublicAccess: true,
        endpointPrivateAccess: false,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: cluster.serviceIpv4Cidr, ipFamily: 'ipv4' },
      identity: await clusterIdentity(ctx.store, cluster),
      logging: {
        clusterLogging: [
          { types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false },
        ],
      },
      status: cluster.status,
      certificateAuthority: { data: cluster.certificateAuthorityData },
      platformVersion: cluster.platformVersion,
      tags: cluster.tags,
      id: cluster.id,
      health: { issues: [] },
      accessConfig: cluster.accessConfig ?? defaultAccessConfig,
      upgradePolicy: { supportType: 'STANDARD' },
    },
  };
};
