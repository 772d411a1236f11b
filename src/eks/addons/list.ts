// ListAddons: GET /clusters/{name}/addons?maxResults&nextToken → {"addons": [...]}.
import { requireCluster } from '../context.js';
import { listNamesPage } from '../paging.js';
import type { Route } from '../router.js';
import { addonKeys } from './read.js';

export const listAddons: Route = async (ctx, { params, query }) => {
  await requireCluster(ctx, params.name);
  return listNamesPage(ctx.store, addonKeys.addons(params.name), query, 'addons', { clusterName: params.name });
};
