// DescribeUpdate (GET /clusters/{name}/updates/{updateId}) and ListUpdates (GET /clusters/{name}/updates) for the
// cluster's own updates. Node-group and add-on updates (`nodegroupName`, `addonName`) are another slice's records.
import { requireCluster } from '../context.js';
import { EksError } from '../errors.js';
import { paginate } from '../paging.js';
import type { Route } from '../router.js';

function ownerOf(query: URLSearchParams, clusterName: string): void {
  for (const member of ['nodegroupName', 'addonName', 'capabilityName']) {
    const value = query.get(member);
    if (value) {
      throw new EksError('ResourceNotFoundException', `No updates found for ${member.replace(/Name$/, '')} ${value}.`, {
        clusterName,
      });
    }
  }
}

export const describeUpdate: Route = async (ctx, { params, query }) => {
  const name = params.name;
  await requireCluster(ctx, name);
  ownerOf(query, name);
  const update = await ctx.clusterUpdates.get(name, params.updateId);
  if (!update) {
    throw new EksError('ResourceNotFoundException', `No update found for ID: ${params.updateId}`, {
      clusterName: name,
    });
  }
  return { update };
};

export const listUpdates: Route = async (ctx, { params, query }) => {
  const name = params.name;
  await requireCluster(ctx, name);
  ownerOf(query, name);
  const updates = await ctx.clusterUpdates.list(name);
  const page = paginate(updates.map((u) => u.id).sort(), query, { clusterName: name });
  return { updateIds: page.names, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};
