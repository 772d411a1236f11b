// ListClusters: GET /clusters → {"clusters": [...], "nextToken"?}.

import { namesUnder, paginate } from '../paging.js';
import { keys } from '../records.js';
import type { Route } from '../router.js';

export const listClusters: Route = async (ctx, { query }) => {
  const { items } = await ctx.store.list(keys.clusters());
  const page = paginate(
    namesUnder(
      keys.clusters(),
      items.map((kv) => kv.key),
    ),
    query,
  );
  return { clusters: page.names, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};
