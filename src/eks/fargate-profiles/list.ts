// ListFargateProfiles: GET /clusters/{name}/fargate-profiles?maxResults&nextToken.
import { requireCluster } from '../context.js';
import { listNamesPage } from '../paging.js';
import { keys } from '../records.js';
import type { Route } from '../router.js';

export const listFargateProfileNames: Route = async (ctx, { params, query }) => {
  await requireCluster(ctx, params.name);
  return listNamesPage(ctx.store, keys.profiles(params.name), query, 'fargateProfileNames', {
    clusterName: params.name,
  });
};
