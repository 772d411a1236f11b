// CreateNodegroup: POST /clusters/{name}/node-groups. Validates as EKS does (required members, enums, the cluster's
// version, a known AMI release, launch-template conflicts, scaling, updateConfig, taints), then stores the node
// group as CREATING (ACTIVE after the delay) with EKS's defaults filled in and every input kept, for the node-group
// controller to turn into nodes.
import { randomUUID } from 'node:crypto';
import { isRoleArn, nodegroupArn } from '../../fargate/arn.js';
import { validateTags } from '../../fargate/profile-validation.js';
import { KeyExistsError } from '../../store/errors.js';
import { readJson, requireCluster, requireClusterVpc } from '../context.js';
import { amiTypes, capacityTypes, checkEnum } from '../enums.js';
import { EksError } from '../errors.js';
import { checkMemberTypes } from '../member-types.js';
import { keys, type Nodegroup, type NodegroupUpdateConfig, type StoredNodegroup, type Taint } from '../records.js';
import type { Route } from '../router.js';
import { forgetUpdates } from '../updates/records.js';
import { isReleaseOf, latestRelease, releasesOf } from './releases.js';
import { checkRequestSizes } from './scaling.js';
import {
  checkNodeRepairConfig,
  checkScaling,
  checkTaints,
  checkUpdateConfig,
  memberTypes,
  type Scaling,
} from './validate.js';

interface CreateNodegroupBody {
  nodegroupName?: string;
  nodeRole?: string;
  subnets?: string[];
  scalingConfig?: Partial<Scaling>;
  instanceTypes?: string[];
  labels?: Record<string, string>;
  taints?: Taint[];
  tags?: Record<string, string>;
  amiType?: string;
  capacityType?: string;
  diskSize?: number;
  version?: string;
  releaseVersion?: string;
  launchTemplate?: Nodegroup['launchTemplate'];
  remoteAccess?: Nodegroup['remoteAccess'];
  updateConfig?: NodegroupUpdateConfig;
  nodeRepairConfig?: Record<string, unknown>;
  warmPoolConfig?: Record<string, unknown>;
  clientRequestToken?: string;
}

export const defaultDiskSize = 20;

export const createNodegroup: Route = async (ctx, { params, body }) => {
  const clusterName = params.name;
  checkRequestSizes(body, clusterName, String((body as { nodegroupName?: unknown })?.nodegroupName ?? ''));
  checkMemberTypes(body, {
    nodegroupName: 'string',
    nodeRole: 'string',
    subnets: 'list<string>',
    instanceTypes: 'list<string>',
    tags: 'map<string,string>',
    amiType: 'string',
    capacityType: 'string',
    diskSize: 'integer',
    version: 'string',
    releaseVersion: 'string',
    clientRequestToken: 'string',
    ...memberTypes,
  });
  const cluster = await requireCluster(ctx, clusterName);
  const req = body as CreateNodegroupBody;
  const name = req.nodegroupName ?? '';
  const members = { clusterName, nodegroupName: name };
  const fail = (message: string, type = 'InvalidParameterException') => new EksError(type, message, members);
  const key = keys.nodegroup(clusterName, name);
  const prior = name ? await readJson<StoredNodegroup>(ctx.store, key) : undefined;
  if (prior && req.clientRequestToken && prior.value.clientRequestToken === req.clientRequestToken) {
    return { nodegroup: prior.value.nodegroup };
  }
  if (!name) throw fail('nodegroupName is required.');
  if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,62}$/.test(name)) throw fail(`Nodegroup name ${name} is invalid.`);
  if (!req.nodeRole || !isRoleArn(req.nodeRole, { allowPath: true }))
    throw fail(`Invalid nodeRole: ${req.nodeRole ?? ''}`);
  checkEnum(req.amiType, amiTypes, 'amiType', members);
  checkEnum(req.capacityType, capacityTypes, 'capacityType', members);
  const version = req.version ?? cluster.version;
  if (version !== cluster.version)
    throw fail(`Requested Nodegroup version ${version} is invalid. Allowed values: [${cluster.version}]`);
  if (req.releaseVersion !== undefined && !isReleaseOf(version, req.releaseVersion)) {
    throw fail(
      `Requested release version ${req.releaseVersion} is not valid for kubernetes version ${version}. Valid release versions: [${releasesOf(version).join(', ')}]`,
    );
  }
  if (req.launchTemplate) {
    if (req.diskSize !== undefined) throw fail('Disk size must be specified within the launch template.');
    if (req.remoteAccess) throw fail('Remote access configuration cannot be specified with a launch template.');
    if (!req.launchTemplate.id === !req.launchTemplate.name)
      throw fail('Either launch template ID or launch template name must be specified, but not both.');
  }
  if (req.diskSize !== undefined && (req.diskSize < 1 || req.diskSize > 16384))
    throw fail('Disk size must be between 1 and 16384 GiB.');
  const vpc = await requireClusterVpc(ctx, cluster);
  if (!req.subnets || req.subnets.length === 0) throw fail('Subnets are required.');
  for (const id of req.subnets) {
    if (!vpc.subnets.some((s) => s.subnetId === id))
      throw fail(`Subnet ${id} does not belong to the cluster's VPC ${vpc.vpcId}.`);
  }
  const scaling: Scaling = { minSize: 1, maxSize: 2, desiredSize: 2, ...req.scalingConfig };
  if (req.scalingConfig && req.scalingConfig.desiredSize === undefined)
    scaling.desiredSize = Math.max(scaling.minSize, 1);
  checkScaling(scaling, fail);
  checkUpdateConfig(req.updateConfig, members, fail);
  checkTaints(req.taints, members, fail, 'taints');
  checkNodeRepairConfig(req.nodeRepairConfig, members);
  const tagFault = validateTags(req.tags);
  if (tagFault) throw fail(tagFault.message);
  if (prior)
    throw fail(`NodeGroup already exists with name ${name} and cluster name ${clusterName}`, 'ResourceInUseException');

  const now = ctx.now();
  const uuid = randomUUID();
  const updateConfig: NodegroupUpdateConfig =
    req.updateConfig && Object.keys(req.updateConfig).length > 0
      ? {
          ...(req.updateConfig.maxUnavailablePercentage === undefined
            ? { maxUnavailable: req.updateConfig.maxUnavailable ?? 1 }
            : { maxUnavailablePercentage: req.updateConfig.maxUnavailablePercentage }),
          ...(req.updateConfig.updateStrategy ? { updateStrategy: req.updateConfig.updateStrategy } : {}),
        }
      : { maxUnavailable: 1 };
  const nodegroup: Nodegroup = {
    nodegroupName: name,
    nodegroupArn: nodegroupArn(ctx.region, ctx.credentials.accountId, clusterName, name, uuid),
    clusterName,
    version,
    releaseVersion: req.releaseVersion ?? latestRelease(version),
    createdAt: now / 1000,
    modifiedAt: now / 1000,
    status: 'CREATING',
    capacityType: req.capacityType ?? 'ON_DEMAND',
    scalingConfig: scaling,
    instanceTypes: req.instanceTypes && req.instanceTypes.length > 0 ? req.instanceTypes : ['t3.medium'],
    subnets: req.subnets,
    amiType: req.amiType ?? 'AL2023_x86_64_STANDARD',
    nodeRole: req.nodeRole,
    labels: req.labels ?? {},
    taints: req.taints ?? [],
    // With a launch template the disk is the template's, and EKS reports no diskSize.
    ...(req.launchTemplate ? {} : { diskSize: req.diskSize ?? defaultDiskSize }),
    resources: { autoScalingGroups: [{ name: `eks-${name}-${uuid}` }] },
    health: { issues: [] },
    updateConfig,
    tags: req.tags ?? {},
    ...(req.launchTemplate ? { launchTemplate: { version: '1', ...req.launchTemplate } } : {}),
    ...(req.remoteAccess ? { remoteAccess: req.remoteAccess } : {}),
    ...(req.nodeRepairConfig ? { nodeRepairConfig: req.nodeRepairConfig } : {}),
    ...(req.warmPoolConfig ? { warmPoolConfig: req.warmPoolConfig } : {}),
  } as Nodegroup;
  const record: StoredNodegroup = {
    nodegroup,
    clientRequestToken: req.clientRequestToken,
    transitionAt: now + ctx.transitionDelayMs,
  };
  try {
    await ctx.store.create(key, JSON.stringify(record));
  } catch (error) {
    if (error instanceof KeyExistsError)
      throw fail(
        `NodeGroup already exists with name ${name} and cluster name ${clusterName}`,
        'ResourceInUseException',
      );
    throw error;
  }
  // A group of a former group's name starts without its updates.
  await forgetUpdates(ctx.store, clusterName, { nodegroupName: name });
  ctx.transitions.schedule(key, record.transitionAt as number);
  return { nodegroup };
};
