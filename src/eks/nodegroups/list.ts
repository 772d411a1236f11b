// ListNodegroups: GET /clusters/{name}/node-groups?maxResults&nextToken → {"nodegroups": [...]}.
import { requireCluster } from '../context.js';
import { listNamesPage } from '../paging.js';
import { keys } from '../records.js';
import type { Route } from '../router.js';

export const listNodegroupNames: Route = async (ctx, { params, query }) => {
  await requireCluster(ctx, params.name);
  return listNamesPage(ctx.store, keys.nodegroups(params.name), query, 'nodegroups', { clusterName: params.name });
};
