// UpdateAddon: POST /clusters/{name}/addons/{addonName}/update. Changes the version, role, configuration values
// (an empty string clears them) and conflict rule of a settled add-on: it goes UPDATING with an AddonUpdate
// (src/eks/updates/) that the add-on manager settles when it has applied the objects again.
import { ConflictError } from '../../store/errors.js';
import { requireCluster } from '../context.js';
import { checkMemberTypes } from '../member-types.js';
import type { Route } from '../router.js';
import { startUpdate, type UpdateParam, updateByToken } from '../updates/records.js';
import { catalogueEntry } from './catalogue.js';
import { addonMemberTypes } from './create.js';
import { type AddonIntent, addonKeys, requireAddon, type StoredAddon } from './read.js';
import { type AddonRequest, addonFail, checkAddonRequest } from './validate.js';

const busy = new Set(['CREATING', 'UPDATING', 'DELETING']);

export const updateAddon: Route = async (ctx, { params, body }) => {
  const clusterName = params.name;
  const name = params.addonName;
  checkMemberTypes(body, addonMemberTypes);
  const cluster = await requireCluster(ctx, clusterName);
  const found = await requireAddon(ctx, clusterName, name);
  const req = body as AddonRequest & { clientRequestToken?: string };
  const fail = addonFail(clusterName, name);
  const retried = await updateByToken(ctx.store, clusterName, { addonName: name }, req.clientRequestToken);
  if (retried) return { update: retried };
  const stored = found.value;
  const entry = catalogueEntry(name);
  if (!entry) throw fail(`Addon ${name} specified is not supported`);
  const version = checkAddonRequest(entry, req, clusterName, cluster.version, stored.addon.addonVersion);
  if (busy.has(stored.addon.status))
    throw fail(
      `Addon ${name} cannot be updated as it is currently in ${stored.addon.status} state`,
      'ResourceInUseException',
    );
  const out: UpdateParam[] = [];
  if (req.addonVersion !== undefined) out.push({ type: 'AddonVersion', value: req.addonVersion });
  if (req.serviceAccountRoleArn !== undefined)
    out.push({ type: 'ServiceAccountRoleArn', value: req.serviceAccountRoleArn });
  if (req.resolveConflicts !== undefined) out.push({ type: 'ResolveConflicts', value: req.resolveConflicts });
  if (req.configurationValues !== undefined) out.push({ type: 'ConfigurationValues', value: req.configurationValues });
  const now = ctx.now();
  const update = await startUpdate(
    ctx.store,
    clusterName,
    { addonName: name },
    'AddonUpdate',
    out,
    now,
    req.clientRequestToken,
  );
  const { configurationValues: _old, ...rest } = stored.addon;
  const configurationValues = req.configurationValues ?? stored.addon.configurationValues;
  const intent: AddonIntent = {
    action: 'apply',
    resolveConflicts: (req.resolveConflicts as AddonIntent['resolveConflicts']) ?? 'NONE',
    updateId: update.id,
    previous: {
      addonVersion: stored.addon.addonVersion,
      configurationValues: stored.addon.configurationValues,
      serviceAccountRoleArn: stored.addon.serviceAccountRoleArn,
    },
    generation: stored.generation + 1,
  };
  const next: StoredAddon = {
    ...stored,
    addon: {
      ...rest,
      status: 'UPDATING',
      addonVersion: version.addonVersion,
      modifiedAt: now / 1000,
      ...((req.serviceAccountRoleArn ?? stored.addon.serviceAccountRoleArn)
        ? { serviceAccountRoleArn: req.serviceAccountRoleArn ?? stored.addon.serviceAccountRoleArn }
        : {}),
      ...(configurationValues ? { configurationValues } : {}),
    },
    generation: intent.generation,
    intent,
  };
  try {
    await ctx.store.update(addonKeys.addon(clusterName, name), JSON.stringify(next), found.modRevision);
  } catch (error) {
    if (error instanceof ConflictError)
      throw fail(`Addon ${name} is being changed; try again.`, 'ResourceInUseException');
    throw error;
  }
  return { update };
};
