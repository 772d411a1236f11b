// ListUpdates: GET /clusters/{name}/updates?nodegroupName|addonName&maxResults&nextToken → {"updateIds": [...]}.
import { requireCluster } from '../context.js';
import { paginate } from '../paging.js';
import type { Route } from '../router.js';
import { clusterScopeUpdateIds } from './cluster-scope.js';
import { updatesOf } from './records.js';
import { requireScope, scopeOf } from './scope.js';

export const listUpdates: Route = async (ctx, { params, query }) => {
  const clusterName = params.name;
  await requireCluster(ctx, clusterName);
  const scope = scopeOf(query);
  await requireScope(ctx, clusterName, scope);
  const own = !scope.nodegroupName && !scope.addonName;
  const ids = (
    own
      ? await clusterScopeUpdateIds(ctx, clusterName)
      : (await updatesOf(ctx.store, clusterName, scope)).map((u) => u.update.id)
  ).sort();
  const page = paginate(ids, query, { clusterName });
  return { updateIds: page.names, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};
