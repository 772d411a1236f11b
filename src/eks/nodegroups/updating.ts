// Starting and settling a node group's update: the group goes UPDATING with an InProgress Update record
// (src/eks/updates/) whose id it keeps, and back to ACTIVE when the node-group controller reports the Nodes have
// followed (Successful) or could not (Failed, with the update's errors).
import { ConflictError } from '../../store/errors.js';
import type { Backend } from '../../store/types.js';
import { type EksContext, readJson } from '../context.js';
import { EksError } from '../errors.js';
import { keys, type Nodegroup, type StoredNodegroup } from '../records.js';
import {
  finishUpdate,
  startUpdate,
  type Update,
  type UpdateError,
  type UpdateParam,
  updateByToken,
} from '../updates/records.js';
import { requireNodegroup } from './read.js';

/**
 * Applies `change` to an ACTIVE node group and starts a `type` update with `params`, or returns the update a retry
 * with the same client token started. `change` may throw the request's refusal.
 */
export async function beginNodegroupUpdate(
  ctx: EksContext,
  clusterName: string,
  name: string,
  token: string | undefined,
  type: 'ConfigUpdate' | 'VersionUpdate',
  plan: (nodegroup: Nodegroup) => { nodegroup: Nodegroup; params: UpdateParam[] },
  force?: boolean,
): Promise<{ update: Update }> {
  const found = await requireNodegroup(ctx, clusterName, name);
  const scope = { nodegroupName: name };
  const retried = await updateByToken(ctx.store, clusterName, scope, token);
  if (retried) return { update: retried };
  if (found.value.nodegroup.status !== 'ACTIVE') {
    throw new EksError('ResourceInUseException', 'Nodegroup cannot be updated as it is currently not in Active State', {
      clusterName,
      nodegroupName: name,
    });
  }
  const { nodegroup, params } = plan(structuredClone(found.value.nodegroup));
  const now = ctx.now();
  const update = await startUpdate(ctx.store, clusterName, scope, type, params, now, token);
  const record: StoredNodegroup = {
    ...found.value,
    nodegroup: { ...nodegroup, status: 'UPDATING', modifiedAt: now / 1000 },
    updateId: update.id,
    updateType: type,
    force,
    previous:
      type === 'VersionUpdate'
        ? { version: found.value.nodegroup.version, releaseVersion: found.value.nodegroup.releaseVersion }
        : undefined,
  };
  await ctx.store.update(keys.nodegroup(clusterName, name), JSON.stringify(record), found.modRevision);
  return { update };
}

export interface UpdateOutcome {
  status: 'Successful' | 'Failed';
  errors?: UpdateError[];
}

/** Ends the group's update `updateId` and returns the group to ACTIVE; a stale or unknown id changes nothing. */
export async function settleNodegroupUpdate(
  store: Backend,
  clusterName: string,
  name: string,
  updateId: string,
  outcome: UpdateOutcome,
  now: number,
): Promise<void> {
  for (;;) {
    const found = await readJson<StoredNodegroup>(store, keys.nodegroup(clusterName, name));
    if (!found || found.value.updateId !== updateId) return;
    await finishUpdate(store, clusterName, updateId, outcome.status, outcome.errors ?? []);
    const revert = outcome.status === 'Failed' ? found.value.previous : undefined;
    const record: StoredNodegroup = {
      ...found.value,
      nodegroup: {
        ...found.value.nodegroup,
        ...(revert ?? {}),
        status: found.value.nodegroup.status === 'UPDATING' ? 'ACTIVE' : found.value.nodegroup.status,
        modifiedAt: now / 1000,
      },
      updateId: undefined,
      updateType: undefined,
      force: undefined,
      previous: undefined,
    };
    try {
      await store.update(keys.nodegroup(clusterName, name), JSON.stringify(record), found.modRevision);
      return;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}
