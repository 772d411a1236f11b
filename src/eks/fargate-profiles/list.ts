// ListFargateProfiles: GET /clusters/{name}/fargate-profiles?maxResults&nextToken.
import { requireCluster } from '../context.js';
import { namesUnder, paginate } from '../paging.js';
import { keys } from '../records.js';
import type { Route } from '../router.js';

export const listFargateProfileNames: Route = async (ctx, { params, query }) => {
  await requireCluster(ctx, params.name);
  const prefix = keys.profiles(params.name);
  const { items } = await ctx.store.list(prefix);
  const page = paginate(
    namesUnder(
      prefix,
      items.map((kv) => kv.key),
    ),
    query,
    { clusterName: params.name },
  );
  return { fargateProfileNames: page.names, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};
