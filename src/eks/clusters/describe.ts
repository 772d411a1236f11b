// DescribeCluster: GET /clusters/{name} → {"cluster": Cluster}, the fields aws eks update-kubeconfig reads.
import { type EksContext, requireCluster } from '../context.js';
import type { Route } from '../router.js';
import { clusterView } from './view.js';

export const describeCluster: Route = async (ctx: EksContext, { params }) => ({
  cluster: await clusterView(ctx, await requireCluster(ctx, params.name)),
});
