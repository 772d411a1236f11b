// CreateNodegroup: POST /clusters/{name}/node-groups. Stores the node group as CREATING (ACTIVE after the delay)
// with EKS's defaults filled in, for the default scheduler to turn into nodes.
import { randomUUID } from 'node:crypto';
import { isRoleArn, nodegroupArn } from '../../fargate/arn.js';
import { validateTags } from '../../fargate/profile-validation.js';
import { KeyExistsError } from '../../store/errors.js';
import { readJson, requireCluster, requireClusterVpc } from '../context.js';
import { EksError } from '../errors.js';
import { checkMemberTypes } from '../member-types.js';
import { keys, type Nodegroup, type StoredNodegroup, type Taint } from '../records.js';
import type { Route } from '../router.js';
import { checkScalingNumbers } from './scaling.js';

interface CreateNodegroupBody {
  nodegroupName?: string;
  nodeRole?: string;
  subnets?: string[];
  scalingConfig?: Partial<Nodegroup['scalingConfig']>;
  instanceTypes?: string[];
  labels?: Record<string, string>;
  taints?: Taint[];
  tags?: Record<string, string>;
  amiType?: string;
  capacityType?: string;
  diskSize?: number;
  version?: string;
  clientRequestToken?: string;
}

const TAINT_EFFECTS = ['NO_SCHEDULE', 'NO_EXECUTE', 'PREFER_NO_SCHEDULE'];

export const createNodegroup: Route = async (ctx, { params, body }) => {
  const clusterName = params.name;
  checkMemberTypes(body, {
    nodegroupName: 'string',
    nodeRole: 'string',
    subnets: 'list<string>',
    instanceTypes: 'list<string>',
    labels: 'map<string,string>',
    tags: 'map<string,string>',
    amiType: 'string',
    capacityType: 'string',
    version: 'string',
    clientRequestToken: 'string',
  });
  const cluster = await requireCluster(ctx, clusterName);
  const req = body as CreateNodegroupBody;
  const name = req.nodegroupName ?? '';
  const fail = (message: string, type = 'InvalidParameterException') =>
    new EksError(type, message, { clusterName, nodegroupName: name });
  const key = keys.nodegroup(clusterName, name);
  const prior = name ? await readJson<StoredNodegroup>(ctx.store, key) : undefined;
  if (prior && req.clientRequestToken && prior.value.clientRequestToken === req.clientRequestToken) {
    return { nodegroup: prior.value.nodegroup };
  }
  if (!name) throw fail('nodegroupName is required.');
  if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,62}$/.test(name)) throw fail(`Nodegroup name ${name} is invalid.`);
  if (!req.nodeRole || !isRoleArn(req.nodeRole, { allowPath: true }))
    throw fail(`Invalid nodeRole: ${req.nodeRole ?? ''}`);
  const vpc = await requireClusterVpc(ctx, cluster);
  if (!req.subnets || req.subnets.length === 0) throw fail('Subnets are required.');
  for (const id of req.subnets) {
    if (!vpc.subnets.some((s) => s.subnetId === id))
      throw fail(`Subnet ${id} does not belong to the cluster's VPC ${vpc.vpcId}.`);
  }
  checkScalingNumbers(req.scalingConfig, fail);
  const scaling = { minSize: 1, maxSize: 2, desiredSize: 2, ...req.scalingConfig };
  if (req.scalingConfig && req.scalingConfig.desiredSize === undefined)
    scaling.desiredSize = Math.max(scaling.minSize, 1);
  if (scaling.maxSize < 1) throw fail('Maximum capacity must be at least 1.');
  if (scaling.minSize < 0 || scaling.minSize > scaling.maxSize)
    throw fail(`Minimum capacity ${scaling.minSize} can't be greater than max size ${scaling.maxSize}`);
  if (scaling.desiredSize < scaling.minSize || scaling.desiredSize > scaling.maxSize) {
    throw fail(
      `Desired capacity ${scaling.desiredSize} must be between min size ${scaling.minSize} and max size ${scaling.maxSize}`,
    );
  }
  for (const t of req.taints ?? []) {
    if (!t.key || !TAINT_EFFECTS.includes(t.effect))
      throw fail(`Taint ${JSON.stringify(t)} is invalid: key and effect (${TAINT_EFFECTS.join('|')}) are required.`);
  }
  const tagFault = validateTags(req.tags);
  if (tagFault) throw fail(tagFault.message);
  if (prior)
    throw fail(`NodeGroup already exists with name ${name} and cluster name ${clusterName}`, 'ResourceInUseException');

  const now = ctx.now();
  const uuid = randomUUID();
  const version = req.version ?? cluster.version;
  const nodegroup: Nodegroup = {
    nodegroupName: name,
    nodegroupArn: nodegroupArn(ctx.region, ctx.credentials.accountId, clusterName, name, uuid),
    clusterName,
    version,
    releaseVersion: `${version}.0-skiff`,
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
    diskSize: req.diskSize ?? 20,
    resources: { autoScalingGroups: [{ name: `eks-${name}-${uuid}` }] },
    health: { issues: [] },
    updateConfig: { maxUnavailable: 1 },
    tags: req.tags ?? {},
  };
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
  ctx.transitions.schedule(key, record.transitionAt as number);
  return { nodegroup };
};
