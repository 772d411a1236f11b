// AssociateIdentityProviderConfig: POST /clusters/{name}/identity-provider-configs/associate — an OIDC provider
// (name, issuerUrl, clientId required; username/groups claims and prefixes, requiredClaims) stored CREATING and
// ACTIVE after the transition delay, with an AssociateIdentityProviderConfig update. One per cluster, as on EKS.
// The issuer must be https, except on a loopback host (Skiff's local issuers; a deviation from EKS).
import { randomUUID } from 'node:crypto';
import { formatArn } from '../../fargate/arn.js';
import { requireCluster } from '../context.js';
import { EksError, invalidParameter } from '../errors.js';
import { checkMemberTypes } from '../member-types.js';
import type { Route } from '../router.js';
import {
  identityProviderUpdate,
  type OidcConfig,
  providerKeys,
  readConfigs,
  recordUpdate,
  type StoredIdentityProviderConfig,
} from './records.js';

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

function checkIssuer(url: string, clusterName: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParameter(`Invalid issuerUrl: ${url}`, { clusterName });
  }
  const allowed = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback.has(parsed.hostname));
  if (!allowed || parsed.search || parsed.hash)
    throw invalidParameter(`The issuerUrl must be an https URL without query or fragment: ${url}`, { clusterName });
}

export const associateIdentityProviderConfig: Route = async (ctx, { params, body }) => {
  const clusterName = params.name;
  checkMemberTypes(body, { clientRequestToken: 'string', tags: 'map<string,string>' });
  const oidc = body.oidc as Record<string, unknown> | undefined;
  if (!oidc || typeof oidc !== 'object' || Array.isArray(oidc))
    throw invalidParameter('oidc is required.', { clusterName });
  checkMemberTypes(
    oidc,
    {
      identityProviderConfigName: 'string',
      issuerUrl: 'string',
      clientId: 'string',
      usernameClaim: 'string',
      usernamePrefix: 'string',
      groupsClaim: 'string',
      groupsPrefix: 'string',
      requiredClaims: 'map<string,string>',
    },
    'oidc.',
  );
  for (const member of ['identityProviderConfigName', 'issuerUrl', 'clientId'])
    if (!oidc[member]) throw invalidParameter(`oidc.${member} is required.`, { clusterName });
  await requireCluster(ctx, clusterName);
  const name = oidc.identityProviderConfigName as string;
  checkIssuer(oidc.issuerUrl as string, clusterName);
  const now = ctx.now();
  const existing = await readConfigs(ctx.store, clusterName, now);
  const token = body.clientRequestToken as string | undefined;
  const replay = token ? existing.find((e) => e.stored.clientRequestToken === token) : undefined;
  if (replay?.stored.updateId) {
    const update = await identityProviderUpdate(ctx.store, clusterName, replay.stored.updateId, now);
    if (update) return { update, tags: replay.stored.config.tags };
  }
  if (existing.some((e) => e.stored.config.identityProviderConfigName === name))
    throw new EksError(
      'ResourceInUseException',
      `Identity provider config ${name} already exists for cluster ${clusterName}.`,
      {
        clusterName,
      },
    );
  if (existing.length > 0)
    throw new EksError(
      'ResourceLimitExceededException',
      `Cluster ${clusterName} already has an identity provider config associated; only one is allowed.`,
      { clusterName },
    );
  const config: OidcConfig = {
    identityProviderConfigName: name,
    identityProviderConfigArn: formatArn({
      partition: 'aws',
      service: 'eks',
      region: ctx.region,
      accountId: ctx.credentials.accountId,
      resource: `identityproviderconfig/${clusterName}/oidc/${name}/${randomUUID()}`,
    }),
    clusterName,
    issuerUrl: oidc.issuerUrl as string,
    clientId: oidc.clientId as string,
    ...Object.fromEntries(
      ['usernameClaim', 'usernamePrefix', 'groupsClaim', 'groupsPrefix', 'requiredClaims']
        .filter((k) => oidc[k] !== undefined)
        .map((k) => [k, oidc[k]]),
    ),
    tags: (body.tags as Record<string, string>) ?? {},
  };
  const activeAt = now + ctx.transitionDelayMs;
  const update = await recordUpdate(ctx, clusterName, 'AssociateIdentityProviderConfig', name, activeAt);
  const stored: StoredIdentityProviderConfig = {
    config,
    activeAt,
    updateId: update.id,
    ...(token ? { clientRequestToken: token } : {}),
  };
  const key = providerKeys.one(clusterName, name);
  const gone = await ctx.store.get(key);
  if (gone) await ctx.store.update(key, JSON.stringify(stored), gone.modRevision);
  else await ctx.store.create(key, JSON.stringify(stored));
  return { update, tags: config.tags };
};
