// UpdateClusterConfig: POST /clusters/{name}/update-config. One kind of change per call, as EKS allows: endpoint
// access, VPC subnets and security groups, control-plane logging, authentication mode (one step at a time:
// CONFIG_MAP → API_AND_CONFIG_MAP → API), upgrade policy or deletion protection; each recorded as an Update of
// EKS' type, with EKS' messages for no-op and forbidden changes. The authentication mode takes effect in the kube
// API's IAM authenticator as soon as the update completes (it follows the cluster record).
import { requireCluster, requireClusterVpc } from '../context.js';
import { EksError, invalidParameter } from '../errors.js';
import { checkMemberTypes } from '../member-types.js';
import type { ClusterRecord, Update } from '../records.js';
import type { Route } from '../router.js';
import {
  authenticationModes,
  booleanMember,
  endpointAccessOf,
  loggingOf,
  mergeLogging,
  objectMember,
  readAuthenticationMode,
  readLogging,
} from './cluster-config.js';

interface Change {
  type: string;
  params: Update['params'];
  change: Partial<ClusterRecord>;
}

const unsupportedMembers = [
  'zonalShiftConfig',
  'computeConfig',
  'kubernetesNetworkConfig',
  'storageConfig',
  'remoteNetworkConfig',
  'controlPlaneScalingConfig',
];

export const updateClusterConfig: Route = async (ctx, { params, body }) => {
  const name = params.name;
  const members = { clusterName: name };
  checkMemberTypes(body, { clientRequestToken: 'string' });
  const cluster = await requireCluster(ctx, name);
  for (const member of unsupportedMembers) {
    if (body[member] !== undefined && body[member] !== null) {
      throw invalidParameter(`${member} is not supported by this Skiff server.`, members);
    }
  }
  const changes: Change[] = [];
  const vpcConfig = objectMember(body, 'resourcesVpcConfig', {
    subnetIds: 'list<string>',
    securityGroupIds: 'list<string>',
    publicAccessCidrs: 'list<string>',
  });
  if (vpcConfig) {
    const current = endpointAccessOf(cluster);
    const pub = booleanMember(vpcConfig, 'endpointPublicAccess', 'resourcesVpcConfig.endpointPublicAccess');
    const priv = booleanMember(vpcConfig, 'endpointPrivateAccess', 'resourcesVpcConfig.endpointPrivateAccess');
    const cidrs = vpcConfig.publicAccessCidrs as string[] | undefined;
    if (pub !== undefined || priv !== undefined || cidrs !== undefined) {
      const wanted = {
        endpointPublicAccess: pub ?? current.endpointPublicAccess,
        endpointPrivateAccess: priv ?? current.endpointPrivateAccess,
        publicAccessCidrs: cidrs ?? current.publicAccessCidrs,
      };
      if (JSON.stringify(wanted) === JSON.stringify(current)) {
        throw invalidParameter(
          `Cluster is already at the desired configuration with endpointPrivateAccess: ${wanted.endpointPrivateAccess} , endpointPublicAccess: ${wanted.endpointPublicAccess}, and Public Endpoint Restrictions: [${wanted.publicAccessCidrs.join(', ')}]`,
          members,
        );
      }
      if (!wanted.endpointPublicAccess && !wanted.endpointPrivateAccess) {
        throw invalidParameter('Cluster must have at least one of public or private endpoint access enabled.', members);
      }
      changes.push({
        type: 'EndpointAccessUpdate',
        params: [
          { type: 'EndpointPublicAccess', value: String(wanted.endpointPublicAccess) },
          { type: 'EndpointPrivateAccess', value: String(wanted.endpointPrivateAccess) },
          { type: 'PublicAccessCidrs', value: JSON.stringify(wanted.publicAccessCidrs) },
        ],
        change: { endpointAccess: wanted },
      });
    }
    const subnetIds = vpcConfig.subnetIds as string[] | undefined;
    const securityGroupIds = vpcConfig.securityGroupIds as string[] | undefined;
    if (subnetIds !== undefined || securityGroupIds !== undefined) {
      const vpc = await requireClusterVpc(ctx, cluster);
      for (const id of subnetIds ?? []) {
        if (!vpc.subnets.some((s) => s.subnetId === id))
          throw invalidParameter(`The subnet ID '${id}' does not exist`, members);
      }
      for (const id of securityGroupIds ?? []) {
        if (![...vpc.securityGroupIds, vpc.clusterSecurityGroupId].includes(id)) {
          throw invalidParameter(`The security group '${id}' does not exist`, members);
        }
      }
      changes.push({
        type: 'VpcConfigUpdate',
        params: [
          ...(subnetIds ? [{ type: 'Subnets', value: JSON.stringify(subnetIds) }] : []),
          ...(securityGroupIds ? [{ type: 'SecurityGroups', value: JSON.stringify(securityGroupIds) }] : []),
        ],
        change: { ...(subnetIds ? { subnetIds } : {}), ...(securityGroupIds ? { securityGroupIds } : {}) },
      });
    }
  }
  const logging = readLogging(body, name);
  if (logging) {
    const merged = mergeLogging(loggingOf(cluster), logging);
    if (JSON.stringify(loggingOf({ ...cluster, logging: merged })) === JSON.stringify(loggingOf(cluster))) {
      throw invalidParameter('No changes needed for the logging config provided', members);
    }
    changes.push({
      type: 'LoggingUpdate',
      params: [{ type: 'ClusterLogging', value: JSON.stringify({ clusterLogging: logging }) }],
      change: { logging: merged },
    });
  }
  const access = objectMember(body, 'accessConfig', { authenticationMode: 'string' });
  const mode = readAuthenticationMode(access?.authenticationMode, name);
  if (mode) {
    const current = cluster.accessConfig?.authenticationMode ?? 'API_AND_CONFIG_MAP';
    if (authenticationModes.indexOf(mode) !== authenticationModes.indexOf(current) + 1) {
      throw invalidParameter(`Unsupported authentication mode update from ${current} to ${mode}`, members);
    }
    const accessConfig = {
      authenticationMode: mode,
      bootstrapClusterCreatorAdminPermissions: cluster.accessConfig?.bootstrapClusterCreatorAdminPermissions ?? true,
    };
    changes.push({
      type: 'AccessConfigUpdate',
      params: [{ type: 'AuthenticationMode', value: mode }],
      change: { accessConfig },
    });
  }
  const upgrade = objectMember(body, 'upgradePolicy', { supportType: 'string' });
  if (upgrade?.supportType !== undefined) {
    const supportType = upgrade.supportType;
    if (supportType !== 'STANDARD' && supportType !== 'EXTENDED') {
      throw invalidParameter(
        `1 validation error detected: Value '${String(supportType)}' at 'upgradePolicy.supportType' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXTENDED]`,
        members,
      );
    }
    changes.push({
      type: 'UpgradePolicyUpdate',
      params: [{ type: 'UpgradePolicy', value: JSON.stringify({ supportType }) }],
      change: { upgradePolicy: { supportType } },
    });
  }
  const deletionProtection = booleanMember(body, 'deletionProtection');
  if (deletionProtection !== undefined) {
    if (cluster.builtIn && !deletionProtection) {
      throw new EksError(
        'InvalidRequestException',
        `Deletion protection cannot be disabled on cluster ${name}: it is the cluster this Skiff server runs.`,
        members,
      );
    }
    changes.push({
      type: 'DeletionProtectionUpdate',
      params: [{ type: 'DeletionProtection', value: String(deletionProtection) }],
      change: { deletionProtection },
    });
  }
  if (changes.length > 1) throw invalidParameter('Only one type of update can be allowed.', members);
  const [wanted] = changes;
  if (!wanted) throw invalidParameter('No changes needed for the provided cluster configuration.', members);
  if (cluster.status !== 'ACTIVE' && cluster.status !== 'UPDATING') {
    throw new EksError('InvalidRequestException', `Cluster '${name}' is not in ACTIVE status`, members);
  }
  const update = await ctx.clusterUpdates.begin(name, wanted.type, wanted.params, wanted.change);
  return { update };
};
