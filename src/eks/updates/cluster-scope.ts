// A cluster's own updates (no node group or add-on named), whoever keeps them: UpdateClusterVersion,
// UpdateClusterConfig and AssociateEncryptionConfig (clusters/updates-store.ts, which applies them), the identity
// provider configs' Associate/Disassociate (identity-providers/records.ts), and any cluster-scoped generic record
// (records.ts). DescribeUpdate and ListUpdates read them here as one list.
import type { EksContext } from '../context.js';
import { identityProviderUpdate, providerKeys } from '../identity-providers/records.js';
import { readUpdate, type Update, updatesOf } from './records.js';

export async function clusterScopeUpdate(ctx: EksContext, cluster: string, id: string): Promise<Update | undefined> {
  const generic = await readUpdate(ctx.store, cluster, id);
  if (generic && !generic.value.scope.nodegroupName && !generic.value.scope.addonName) return generic.value.update;
  return (
    (await ctx.clusterUpdates.get(cluster, id)) ??
    ((await identityProviderUpdate(ctx.store, cluster, id, ctx.now())) as Update | undefined)
  );
}

export async function clusterScopeUpdateIds(ctx: EksContext, cluster: string): Promise<string[]> {
  const providerUpdates = await ctx.store.list(providerKeys.update(cluster, ''));
  return [
    ...(await updatesOf(ctx.store, cluster, {})).map((u) => u.update.id),
    ...(await ctx.clusterUpdates.list(cluster)).map((u) => u.id),
    ...providerUpdates.items.map((kv) => kv.key.slice(kv.key.lastIndexOf('/') + 1)),
  ];
}
