// ListPodIdentityAssociations: GET /clusters/{name}/pod-identity-associations — summaries, filtered by the
// `namespace` and `serviceAccount` query members, paged by maxResults (1-100) / nextToken in association id order.
import { requireCluster } from '../context.js';
import { paginate } from '../paging.js';
import type { Route } from '../router.js';
import { readAssociations } from './records.js';

export const listPodIdentityAssociations: Route = async (ctx, { params, query }) => {
  const clusterName = params.name;
  await requireCluster(ctx, clusterName);
  const namespace = query.get('namespace');
  const serviceAccount = query.get('serviceAccount');
  const matching = (await readAssociations(ctx, clusterName))
    .map((s) => s.association)
    .filter(
      (a) =>
        (namespace === null || a.namespace === namespace) &&
        (serviceAccount === null || a.serviceAccount === serviceAccount),
    );
  const byId = new Map(matching.map((a) => [a.associationId, a]));
  const page = paginate([...byId.keys()].sort(), query, { clusterName });
  return {
    associations: page.names.map((id) => {
      const a = byId.get(id)!;
      return {
        clusterName: a.clusterName,
        namespace: a.namespace,
        serviceAccount: a.serviceAccount,
        associationArn: a.associationArn,
        associationId: a.associationId,
      };
    }),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
};
