// Reading stored node groups, and the not-found error EKS gives for a missing one.
import { type EksContext, readJson, requireCluster } from '../context.js';
import { EksError } from '../errors.js';
import { keys, type StoredNodegroup } from '../records.js';

export async function requireNodegroup(ctx: EksContext, clusterName: string, name: string) {
  await requireCluster(ctx, clusterName);
  const found = await readJson<StoredNodegroup>(ctx.store, keys.nodegroup(clusterName, name));
  if (!found) {
    throw new EksError('ResourceNotFoundException', `No node group found for name: ${name}.`, {
      clusterName,
      nodegroupName: name,
    });
  }
  return found;
}
