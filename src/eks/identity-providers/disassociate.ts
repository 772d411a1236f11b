// DisassociateIdentityProviderConfig: POST /clusters/{name}/identity-provider-configs/disassociate — the config
// turns DELETING (the kube API stops accepting its tokens at once) and is gone after the transition delay; a config
// already DELETING is ResourceInUseException. Returns the DisassociateIdentityProviderConfig update.
import { requireCluster } from '../context.js';
import { EksError } from '../errors.js';
import { checkMemberTypes } from '../member-types.js';
import type { Route } from '../router.js';
import { configReference, providerKeys, recordUpdate, requireConfig } from './records.js';

export const disassociateIdentityProviderConfig: Route = async (ctx, { params, body }) => {
  const clusterName = params.name;
  checkMemberTypes(body, { clientRequestToken: 'string' });
  const name = configReference(body, clusterName);
  await requireCluster(ctx, clusterName);
  const found = await requireConfig(ctx, clusterName, name);
  if (found.status === 'DELETING')
    throw new EksError('ResourceInUseException', `Identity provider config ${name} is already being disassociated.`, {
      clusterName,
    });
  const goneAt = ctx.now() + ctx.transitionDelayMs;
  await ctx.store.update(
    providerKeys.one(clusterName, name),
    JSON.stringify({ ...found.value, goneAt }),
    found.modRevision,
  );
  return { update: await recordUpdate(ctx, clusterName, 'DisassociateIdentityProviderConfig', name, goneAt) };
};
