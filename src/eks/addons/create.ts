// CreateAddon: POST /clusters/{name}/addons. Checks the request as EKS does and stores the add-on as CREATING with
// an `apply` intent; the add-on manager (src/controllers/addon/) applies its objects to kube-system with the
// configuration values and conflict rule, and reports ACTIVE, DEGRADED or CREATE_FAILED.
import { randomUUID } from 'node:crypto';
import { addonArn } from '../../fargate/arn.js';
import { validateTags } from '../../fargate/profile-validation.js';
import { KeyExistsError } from '../../store/errors.js';
import { readJson, requireCluster } from '../context.js';
import { checkMemberTypes } from '../member-types.js';
import type { Route } from '../router.js';
import { catalogueEntry } from './catalogue.js';
import { type Addon, type AddonIntent, addonKeys, type StoredAddon } from './read.js';
import { type AddonRequest, addonFail, checkAddonRequest } from './validate.js';

export const addonMemberTypes = {
  addonVersion: 'string',
  serviceAccountRoleArn: 'string',
  resolveConflicts: 'string',
  clientRequestToken: 'string',
  configurationValues: 'string',
  podIdentityAssociations: { listOf: { serviceAccount: 'string', roleArn: 'string' } },
} as const;

export const createAddon: Route = async (ctx, { params, body }) => {
  const clusterName = params.name;
  checkMemberTypes(body, {
    addonName: 'string',
    tags: 'map<string,string>',
    namespaceConfig: { structure: { namespace: 'string' } },
    ...addonMemberTypes,
  });
  const cluster = await requireCluster(ctx, clusterName);
  const req = body as AddonRequest & { addonName?: string; tags?: Record<string, string>; clientRequestToken?: string };
  const name = req.addonName ?? '';
  const fail = addonFail(clusterName, name);
  const key = addonKeys.addon(clusterName, name);
  const prior = name ? await readJson<StoredAddon>(ctx.store, key) : undefined;
  if (prior && req.clientRequestToken && prior.value.clientRequestToken === req.clientRequestToken)
    return { addon: prior.value.addon };
  if (!name) throw fail('addonName is required.');
  const entry = catalogueEntry(name);
  if (!entry) throw fail(`Addon ${name} specified is not supported`);
  if (entry.notInstallable) throw fail(`Addon ${name} cannot be installed in Skiff: ${entry.notInstallable}.`);
  const version = checkAddonRequest(entry, req, clusterName, cluster.version);
  const tagFault = validateTags(req.tags);
  if (tagFault) throw fail(tagFault.message);
  if (prior) throw fail('Addon already exists.', 'ResourceInUseException');
  const now = ctx.now() / 1000;
  const addon: Addon = {
    addonName: name,
    clusterName,
    status: 'CREATING',
    addonVersion: version.addonVersion,
    health: { issues: [] },
    addonArn: addonArn(ctx.region, ctx.credentials.accountId, clusterName, name, randomUUID()),
    createdAt: now,
    modifiedAt: now,
    ...(req.serviceAccountRoleArn ? { serviceAccountRoleArn: req.serviceAccountRoleArn } : {}),
    tags: req.tags ?? {},
    ...(req.configurationValues ? { configurationValues: req.configurationValues } : {}),
  };
  const intent: AddonIntent = {
    action: 'apply',
    resolveConflicts: (req.resolveConflicts as AddonIntent['resolveConflicts']) ?? 'NONE',
    generation: 1,
  };
  try {
    await ctx.store.create(
      key,
      JSON.stringify({ addon, generation: 1, intent, clientRequestToken: req.clientRequestToken }),
    );
  } catch (error) {
    if (error instanceof KeyExistsError) throw fail('Addon already exists.', 'ResourceInUseException');
    throw error;
  }
  return { addon };
};
