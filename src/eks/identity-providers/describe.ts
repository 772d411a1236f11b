// DescribeIdentityProviderConfig: POST /clusters/{name}/identity-provider-configs/describe with
// `identityProviderConfig: {type: "oidc", name}` → {identityProviderConfig: {oidc: {... status}}}.
import { requireCluster } from '../context.js';
import type { Route } from '../router.js';
import { configReference, requireConfig } from './records.js';

export const describeIdentityProviderConfig: Route = async (ctx, { params, body }) => {
  const clusterName = params.name;
  const name = configReference(body, clusterName);
  await requireCluster(ctx, clusterName);
  const found = await requireConfig(ctx, clusterName, name);
  return { identityProviderConfig: { oidc: { ...found.value.config, status: found.status } } };
};
