// Turns authorization on for an API context: kube-apiserver's default roles and bindings, the RBAC cache (one
// store watch), the clusterrole-aggregation controller, and the authorizer every HTTPS request goes through.
import type { ApiContext } from '../rest/context.js';
import { startAggregation } from './aggregation.js';
import { Authorizer } from './authorizer.js';
import { createBootstrapPolicy } from './bootstrap.js';

export async function installAuthorization(ctx: ApiContext): Promise<Authorizer> {
  await createBootstrapPolicy(ctx);
  const authorizer = await Authorizer.start(ctx.store);
  const aggregation = startAggregation(ctx, authorizer.cache);
  authorizer.stops.push(() => aggregation.stop());
  ctx.authorizer = authorizer;
  return authorizer;
}
