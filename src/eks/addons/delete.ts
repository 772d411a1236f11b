// DeleteAddon: DELETE /clusters/{name}/addons/{addonName}?preserve. The add-on goes DELETING with a `remove` intent:
// the add-on manager deletes its objects from the cluster (or, with preserve, leaves them there) and then the record
// and its updates go.

import type { Route } from '../router.js';
import { addonKeys, requireAddon, type StoredAddon } from './read.js';

export const deleteAddon: Route = async (ctx, { params, query }) => {
  const found = await requireAddon(ctx, params.name, params.addonName);
  const stored = found.value;
  if (stored.addon.status === 'DELETING') return { addon: stored.addon };
  const preserve = query.get('preserve') === 'true';
  const next: StoredAddon = {
    ...stored,
    addon: { ...stored.addon, status: 'DELETING', modifiedAt: ctx.now() / 1000 },
    intent: {
      action: 'remove',
      resolveConflicts: stored.intent?.resolveConflicts ?? 'NONE',
      preserve,
      generation: stored.generation + 1,
    },
    generation: stored.generation + 1,
  };
  await ctx.store.update(addonKeys.addon(params.name, params.addonName), JSON.stringify(next), found.modRevision);
  return { addon: next.addon };
};
