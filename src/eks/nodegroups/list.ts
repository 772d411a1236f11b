// ListNodegroups: GET /clusters/{name}/node-groups?maxResults&nextToken → {"nodegroups": [...]}.
import { requireCluster } from '../context.js';
import { namesUnder, paginate } from '../paging.js';
import { keys } from '../records.js';
import type { Route } from '../router.js';

export const listNodegroupNames: Route = async (ctx, { params, query }) => {
  await requireCluster(ctx, params.name);
  const prefix = keys.nodegroups(params.name);
  const { items } = await ctx.store.list(prefix);
  const page = paginate(
    namesUnder(
      prefix,
      items.map((kv) => kv.key),
    ),
    query,
    { clusterName: params.name },
  );
  return { nodegroups: page.names, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};
