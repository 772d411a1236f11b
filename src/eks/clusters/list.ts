// ListClusters: GET /clusters → {"clusters": [...], "nextToken"?}.
import { listNamesPage } from '../paging.js';
import { keys } from '../records.js';
import type { Route } from '../router.js';

export const listClusters: Route = async (ctx, { query }) =>
  listNamesPage(ctx.store, keys.clusters(), query, 'clusters');
