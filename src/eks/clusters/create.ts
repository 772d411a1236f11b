// CreateCluster: POST /clusters. Checks the request as EKS does (name, role, version, subnets of Skiff's VPC in two
// zones, access config, encryption), stores the cluster as CREATING, and returns it. The control plane itself
// (its kube API, CA, store and controllers) is started by whoever runs clusters (src/cli), which then marks it
// ACTIVE with its endpoint and CA (lifecycle.ts).
import { randomUUID } from 'node:crypto';
import { clusterArn, isRoleArn } from '../../fargate/arn.js';
import { validateTags } from '../../fargate/profile-validation.js';
import { KeyExistsError } from '../../store/errors.js';
import { ensureCreatorEntry } from '../access/system-entries.js';
import { type EksContext, readJson } from '../context.js';
import { EksError, invalidParameter } from '../errors.js';
import { checkMemberTypes } from '../member-types.js';
import { type AccessConfig, type ClusterRecord, keys, type Vpc } from '../records.js';
import type { Route } from '../router.js';
import {
  booleanMember,
  defaultEndpointAccess,
  mergeLogging,
  objectMember,
  readAuthenticationMode,
  readEncryptionConfig,
  readLogging,
} from './cluster-config.js';
import { encryptionUnavailable } from './encryption.js';
import { checkCreateVersion } from './kubernetes-versions.js';
import { checkServiceCidr, defaultServiceCidr } from './service-cidr.js';
import { clusterView } from './view.js';

const NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;

/** The VPC that holds every one of `subnetIds`, or EKS' error for the first unknown one. */
async function vpcOfSubnets(ctx: EksContext, subnetIds: string[], clusterName: string): Promise<Vpc> {
  const { items } = await ctx.store.list('/eks/vpcs/');
  const vpcs = items.map((kv) => JSON.parse(kv.value) as Vpc);
  let found: Vpc | undefined;
  for (const id of subnetIds) {
    const vpc = vpcs.find((v) => v.subnets.some((s) => s.subnetId === id));
    if (!vpc) throw invalidParameter(`The subnet ID '${id}' does not exist`, { clusterName });
    if (found && found.vpcId !== vpc.vpcId) {
      throw invalidParameter('Subnets specified must belong to the same VPC.', { clusterName });
    }
    found = vpc;
  }
  if (!found) throw invalidParameter('Subnets specified must be in at least two different AZs', { clusterName });
  const zones = new Set(found.subnets.filter((s) => subnetIds.includes(s.subnetId)).map((s) => s.availabilityZone));
  if (zones.size < 2)
    throw invalidParameter('Subnets specified must be in at least two different AZs', { clusterName });
  return found;
}

export const createCluster: Route = async (ctx, { body }) => {
  checkMemberTypes(body, {
    name: 'string',
    version: 'string',
    roleArn: 'string',
    clientRequestToken: 'string',
    tags: 'map<string,string>',
  });
  const name = body.name as string | undefined;
  if (!name) throw invalidParameter('Cluster name is required.');
  const members = { clusterName: name };
  if (name.length > 100 || !NAME.test(name)) {
    throw invalidParameter(
      `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9A-Za-z][A-Za-z0-9\\-_]*`,
      members,
    );
  }
  const token = body.clientRequestToken as string | undefined;
  const existing = await readJson<ClusterRecord>(ctx.store, keys.cluster(name));
  if (existing) {
    if (token && existing.value.clientRequestToken === token)
      return { cluster: await clusterView(ctx, existing.value) };
    throw new EksError('ResourceInUseException', `Cluster already exists with name: ${name}`, members);
  }
  const roleArn = body.roleArn as string | undefined;
  if (!roleArn) throw invalidParameter('roleArn is required.', members);
  if (!isRoleArn(roleArn, { allowPath: true })) throw invalidParameter(`Role ARN ${roleArn} is not valid.`, members);
  const version = checkCreateVersion(body.version as string | undefined, name);
  const vpcConfig = objectMember(body, 'resourcesVpcConfig', {
    subnetIds: 'list<string>',
    securityGroupIds: 'list<string>',
    publicAccessCidrs: 'list<string>',
  });
  if (!vpcConfig) throw invalidParameter('resourcesVpcConfig is required.', members);
  const subnetIds = (vpcConfig.subnetIds as string[] | undefined) ?? [];
  const vpc = await vpcOfSubnets(ctx, subnetIds, name);
  const securityGroupIds = (vpcConfig.securityGroupIds as string[] | undefined) ?? [];
  for (const id of securityGroupIds) {
    if (![...vpc.securityGroupIds, vpc.clusterSecurityGroupId].includes(id)) {
      throw invalidParameter(`The security group '${id}' does not exist`, members);
    }
  }
  const endpointAccess = {
    endpointPublicAccess:
      booleanMember(vpcConfig, 'endpointPublicAccess') ?? defaultEndpointAccess.endpointPublicAccess,
    endpointPrivateAccess:
      booleanMember(vpcConfig, 'endpointPrivateAccess') ?? defaultEndpointAccess.endpointPrivateAccess,
    publicAccessCidrs: (vpcConfig.publicAccessCidrs as string[] | undefined) ?? defaultEndpointAccess.publicAccessCidrs,
  };
  if (!endpointAccess.endpointPublicAccess && !endpointAccess.endpointPrivateAccess) {
    throw invalidParameter('Cluster must have at least one of public or private endpoint access enabled.', members);
  }
  const network = objectMember(body, 'kubernetesNetworkConfig', { serviceIpv4Cidr: 'string', ipFamily: 'string' });
  if (network?.ipFamily !== undefined && network.ipFamily !== 'ipv4') {
    throw invalidParameter('This Skiff runs IPv4 clusters only: ipFamily must be ipv4.', members);
  }
  const serviceIpv4Cidr = (network?.serviceIpv4Cidr as string | undefined) ?? defaultServiceCidr(vpc.cidrBlock);
  checkServiceCidr(serviceIpv4Cidr, vpc.cidrBlock, name);
  const logging = readLogging(body, name);
  const access = objectMember(body, 'accessConfig', { authenticationMode: 'string' });
  const accessConfig: AccessConfig = {
    authenticationMode: readAuthenticationMode(access?.authenticationMode, name) ?? 'API_AND_CONFIG_MAP',
    bootstrapClusterCreatorAdminPermissions:
      (access &&
        booleanMember(
          access,
          'bootstrapClusterCreatorAdminPermissions',
          'accessConfig.bootstrapClusterCreatorAdminPermissions',
        )) ??
      true,
  };
  if (accessConfig.authenticationMode === 'CONFIG_MAP' && !accessConfig.bootstrapClusterCreatorAdminPermissions) {
    throw invalidParameter(
      'bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP',
      members,
    );
  }
  const encryptionConfig = readEncryptionConfig(body.encryptionConfig, name);
  if (encryptionConfig && !ctx.secretsEncryption)
    throw new EksError('InvalidRequestException', encryptionUnavailable, members);
  const upgrade = objectMember(body, 'upgradePolicy', { supportType: 'string' });
  const supportType = upgrade?.supportType;
  if (supportType !== undefined && supportType !== 'STANDARD' && supportType !== 'EXTENDED') {
    throw invalidParameter(
      `1 validation error detected: Value '${String(supportType)}' at 'upgradePolicy.supportType' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXTENDED]`,
      members,
    );
  }
  const tags = (body.tags as Record<string, string> | undefined) ?? {};
  const tagFault = validateTags(tags);
  if (tagFault) throw invalidParameter(tagFault.message, members);
  for (const unsupported of [
    'outpostConfig',
    'remoteNetworkConfig',
    'computeConfig',
    'storageConfig',
    'zonalShiftConfig',
  ]) {
    if (body[unsupported] !== undefined && body[unsupported] !== null) {
      throw invalidParameter(`${unsupported} is not supported by this Skiff server.`, members);
    }
  }

  const cluster: ClusterRecord = {
    name,
    arn: clusterArn(ctx.region, ctx.credentials.accountId, name),
    id: randomUUID(),
    createdAt: ctx.now() / 1000,
    version,
    platformVersion: 'eks.1',
    endpoint: '',
    certificateAuthorityData: '',
    roleArn,
    vpcId: vpc.vpcId,
    serviceIpv4Cidr,
    status: 'CREATING',
    tags,
    accessConfig,
    subnetIds,
    securityGroupIds,
    endpointAccess,
    logging: mergeLogging([], logging ?? []),
    ...(encryptionConfig ? { encryptionConfig } : {}),
    upgradePolicy: { supportType: (supportType as 'STANDARD' | 'EXTENDED' | undefined) ?? 'STANDARD' },
    deletionProtection: booleanMember(body, 'deletionProtection') ?? false,
    ...(token ? { clientRequestToken: token } : {}),
  };
  try {
    await ctx.store.create(keys.cluster(name), JSON.stringify(cluster));
  } catch (error) {
    if (error instanceof KeyExistsError) {
      throw new EksError('ResourceInUseException', `Cluster already exists with name: ${name}`, members);
    }
    throw error;
  }
  if (accessConfig.bootstrapClusterCreatorAdminPermissions) await ensureCreatorEntry(ctx, name);
  return { cluster: await clusterView(ctx, cluster) };
};
