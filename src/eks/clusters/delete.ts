// DeleteCluster: DELETE /clusters/{name}. Refused as EKS refuses it (node groups or Fargate profiles attached, an
// update in progress, deletion protection — always on for the cluster `skiff up` itself runs); otherwise the
// cluster becomes DELETING, and whoever runs clusters (src/cli) removes its pods, nodes and state, then the record
// (lifecycle.ts), after which DescribeCluster answers ResourceNotFoundException.
import { requireCluster } from '../context.js';
import { EksError } from '../errors.js';
import { type ClusterRecord, keys } from '../records.js';
import type { Route } from '../router.js';
import { clusterView } from './view.js';

export const deleteCluster: Route = async (ctx, { params }) => {
  const name = params.name;
  const cluster = await requireCluster(ctx, name);
  const members = { clusterName: name };
  if (cluster.status === 'DELETING') return { cluster: await clusterView(ctx, cluster) };
  if (cluster.builtIn) {
    throw new EksError(
      'InvalidRequestException',
      `Cluster ${name} has deletion protection enabled: it is the cluster this Skiff server runs (stop it with skiff down).`,
      members,
    );
  }
  if (cluster.deletionProtection && cluster.status === 'ACTIVE') {
    throw new EksError(
      'InvalidRequestException',
      `Cluster ${name} has deletion protection enabled. Disable it with UpdateClusterConfig before deleting the cluster.`,
      members,
    );
  }
  const nodegroups = await ctx.store.list(keys.nodegroups(name), { limit: 1 });
  if (nodegroups.items.length > 0) {
    const nodegroupName = nodegroups.items[0].key.slice(keys.nodegroups(name).length);
    throw new EksError('ResourceInUseException', 'Cluster has nodegroups attached', { ...members, nodegroupName });
  }
  if ((await ctx.store.count(keys.profiles(name))) > 0) {
    throw new EksError('ResourceInUseException', 'Cluster has Fargate Profiles in ACTIVE/CREATING state', members);
  }
  if (await ctx.clusterUpdates.inProgress(name)) {
    throw new EksError(
      'ResourceInUseException',
      `Cannot delete because cluster ${name} currently has an update in progress`,
      members,
    );
  }
  const found = await ctx.store.get(keys.cluster(name));
  if (!found) throw new EksError('ResourceNotFoundException', `No cluster found for name: ${name}.`, members);
  const deleting: ClusterRecord = { ...cluster, status: 'DELETING' };
  await ctx.store.update(keys.cluster(name), JSON.stringify(deleting), found.modRevision);
  return { cluster: await clusterView(ctx, deleting) };
};
