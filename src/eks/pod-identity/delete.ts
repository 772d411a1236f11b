// DeletePodIdentityAssociation: DELETE /clusters/{name}/pod-identity-associations/{associationId} → the association
// as it was.
import { requireCluster } from '../context.js';
import type { Route } from '../router.js';
import { associationKeys, requireAssociation } from './records.js';

export const deletePodIdentityAssociation: Route = async (ctx, { params }) => {
  await requireCluster(ctx, params.name);
  const found = await requireAssociation(ctx, params.name, params.associationId);
  await ctx.store.delete(associationKeys.one(params.name, params.associationId), found.modRevision);
  return { association: found.value.association };
};
