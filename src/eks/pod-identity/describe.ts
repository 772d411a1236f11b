// DescribePodIdentityAssociation: GET /clusters/{name}/pod-identity-associations/{associationId}.
import { requireCluster } from '../context.js';
import type { Route } from '../router.js';
import { requireAssociation } from './records.js';

export const describePodIdentityAssociation: Route = async (ctx, { params }) => {
  await requireCluster(ctx, params.name);
  const { value } = await requireAssociation(ctx, params.name, params.associationId);
  return { association: value.association };
};
