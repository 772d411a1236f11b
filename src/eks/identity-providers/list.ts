// ListIdentityProviderConfigs: GET /clusters/{name}/identity-provider-configs → {identityProviderConfigs:
// [{type: "oidc", name}], nextToken?}, paged by maxResults (1-100) / nextToken.
import { requireCluster } from '../context.js';
import { paginate } from '../paging.js';
import type { Route } from '../router.js';
import { readConfigs } from './records.js';

export const listIdentityProviderConfigs: Route = async (ctx, { params, query }) => {
  const clusterName = params.name;
  await requireCluster(ctx, clusterName);
  const names = (await readConfigs(ctx.store, clusterName, ctx.now()))
    .map((c) => c.stored.config.identityProviderConfigName)
    .sort();
  const page = paginate(names, query, { clusterName });
  return {
    identityProviderConfigs: page.names.map((name) => ({ type: 'oidc', name })),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
};
