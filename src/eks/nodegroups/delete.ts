// DeleteNodegroup: DELETE /clusters/{name}/node-groups/{nodegroupName} → DELETING, then gone.
import { EksError } from '../errors.js';
import { keys, type StoredNodegroup } from '../records.js';
import type { Route } from '../router.js';
import { requireNodegroup } from './read.js';

export const deleteNodegroup: Route = async (ctx, { params }) => {
  const clusterName = params.name;
  const name = params.nodegroupName;
  const found = await requireNodegroup(ctx, clusterName, name);
  const status = found.value.nodegroup.status;
  if (status === 'CREATING' || status === 'DELETING') {
    throw new EksError(
      'ResourceInUseException',
      `Nodegroup ${name} is currently in status ${status} and cannot be deleted.`,
      {
        clusterName,
        nodegroupName: name,
      },
    );
  }
  const now = ctx.now();
  const nodegroup = { ...found.value.nodegroup, status: 'DELETING' as const, modifiedAt: now / 1000 };
  const record: StoredNodegroup = { ...found.value, nodegroup, transitionAt: now + ctx.transitionDelayMs };
  const key = keys.nodegroup(clusterName, name);
  await ctx.store.update(key, JSON.stringify(record), found.modRevision);
  ctx.transitions.schedule(key, record.transitionAt as number);
  return { nodegroup };
};
