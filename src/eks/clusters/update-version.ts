// UpdateClusterVersion: POST /clusters/{name}/updates. One minor version up at a time (EKS' texts otherwise),
// recorded as a VersionUpdate: the cluster is UPDATING, then reports the new version (its kube API's /version
// moves with it); Fargate pods already running keep the kubelet version of their node until recreated, as on EKS.
import { requireCluster } from '../context.js';
import { EksError, invalidParameter } from '../errors.js';
import { checkMemberTypes } from '../member-types.js';
import type { Route } from '../router.js';
import { checkUpgrade } from './kubernetes-versions.js';

export const updateClusterVersion: Route = async (ctx, { params, body }) => {
  const name = params.name;
  checkMemberTypes(body, { version: 'string', clientRequestToken: 'string' });
  if (body.force !== undefined && typeof body.force !== 'boolean') {
    throw new EksError('SerializationException', `Expected a boolean for force but found ${typeof body.force}.`);
  }
  const cluster = await requireCluster(ctx, name);
  const version = body.version as string | undefined;
  if (!version) throw invalidParameter('version is required.', { clusterName: name });
  if (cluster.status !== 'ACTIVE' && cluster.status !== 'UPDATING') {
    throw new EksError('InvalidRequestException', `Cluster '${name}' is not in ACTIVE status`, { clusterName: name });
  }
  checkUpgrade(cluster.version, version, name);
  const update = await ctx.clusterUpdates.begin(
    name,
    'VersionUpdate',
    [
      { type: 'Version', value: version },
      { type: 'PlatformVersion', value: 'eks.1' },
    ],
    { version, platformVersion: 'eks.1' },
  );
  return { update };
};
