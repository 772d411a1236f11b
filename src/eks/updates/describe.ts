// DescribeUpdate: GET /clusters/{name}/updates/{updateId}?nodegroupName|addonName → {"update": Update}. The update
// must belong to the named node group or add-on (or to the cluster itself when neither is named: cluster-scope.ts).
import { requireCluster } from '../context.js';
import { EksError } from '../errors.js';
import type { Route } from '../router.js';
import { clusterScopeUpdate } from './cluster-scope.js';
import { readUpdate, type UpdateScope } from './records.js';
import { requireScope, scopeOf } from './scope.js';

export const describeUpdate: Route = async (ctx, { params, query }) => {
  const clusterName = params.name;
  await requireCluster(ctx, clusterName);
  const scope: UpdateScope = scopeOf(query);
  await requireScope(ctx, clusterName, scope);
  if (!scope.nodegroupName && !scope.addonName) {
    const update = await clusterScopeUpdate(ctx, clusterName, params.updateId);
    if (!update)
      throw new EksError('ResourceNotFoundException', `No update found for ID: ${params.updateId}`, { clusterName });
    return { update };
  }
  const found = await readUpdate(ctx.store, clusterName, params.updateId);
  const s = found?.value.scope;
  if (
    !found ||
    (s?.nodegroupName ?? '') !== (scope.nodegroupName ?? '') ||
    (s?.addonName ?? '') !== (scope.addonName ?? '')
  ) {
    throw new EksError('ResourceNotFoundException', `No update found for ID: ${params.updateId}`, {
      clusterName,
      ...(scope.nodegroupName ? { nodegroupName: scope.nodegroupName } : {}),
      ...(scope.addonName ? { addonName: scope.addonName } : {}),
    });
  }
  return { update: found.value.update };
};
