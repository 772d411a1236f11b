// OIDC identity provider configs as the API keeps them: /eks/identityproviderconfigs/<cluster>/<name>, the model's
// OidcIdentityProviderConfig (without status) plus when it became ACTIVE and, once disassociated, when it is gone
// (status is computed from the clock, so a restart loses no transition); the Update each Associate/Disassociate
// returns is kept at /eks/identityproviderupdates/<cluster>/<id> (`identityProviderUpdate` answers DescribeUpdate).
import { randomUUID } from 'node:crypto';
import type { Backend } from '../../store/types.js';
import { type EksContext, readJson } from '../context.js';
import { EksError } from '../errors.js';

export interface OidcConfig {
  identityProviderConfigName: string;
  identityProviderConfigArn: string;
  clusterName: string;
  issuerUrl: string;
  clientId: string;
  usernameClaim?: string;
  usernamePrefix?: string;
  groupsClaim?: string;
  groupsPrefix?: string;
  requiredClaims?: Record<string, string>;
  tags: Record<string, string>;
}

export interface StoredIdentityProviderConfig {
  config: OidcConfig;
  /** Epoch ms: CREATING before, ACTIVE from then. */
  activeAt: number;
  /** Epoch ms, once disassociated: DELETING before, gone from then. */
  goneAt?: number;
  clientRequestToken?: string;
  /** The AssociateIdentityProviderConfig update, answered again to a repeated clientRequestToken. */
  updateId?: string;
}

export interface StoredUpdate {
  update: {
    id: string;
    type: 'AssociateIdentityProviderConfig' | 'DisassociateIdentityProviderConfig';
    params: { type: string; value: string }[];
    createdAt: number;
    errors: unknown[];
  };
  /** Epoch ms when it is Successful. */
  doneAt: number;
}

export type ConfigStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

export const providerKeys = {
  one: (cluster: string, name: string) => `/eks/identityproviderconfigs/${cluster}/${name}`,
  all: (cluster: string) => `/eks/identityproviderconfigs/${cluster}/`,
  update: (cluster: string, id: string) => `/eks/identityproviderupdates/${cluster}/${id}`,
};

/** The config's status now, or undefined once it is gone. */
export function statusAt(stored: StoredIdentityProviderConfig, now: number): ConfigStatus | undefined {
  if (stored.goneAt !== undefined) return now >= stored.goneAt ? undefined : 'DELETING';
  return now >= stored.activeAt ? 'ACTIVE' : 'CREATING';
}

/** The cluster's configs that still exist, with their status. */
export async function readConfigs(store: Backend, cluster: string, now: number) {
  const { items } = await store.list(providerKeys.all(cluster));
  return items
    .map((kv) => ({ stored: JSON.parse(kv.value) as StoredIdentityProviderConfig, modRevision: kv.modRevision }))
    .flatMap(({ stored, modRevision }) => {
      const status = statusAt(stored, now);
      return status ? [{ stored, status, modRevision }] : [];
    });
}

/** The `identityProviderConfig: {type, name}` member of Describe and Disassociate, checked. */
export function configReference(body: Record<string, unknown>, clusterName: string): string {
  const ref = body.identityProviderConfig as { type?: unknown; name?: unknown } | undefined;
  if (!ref || typeof ref !== 'object' || typeof ref.name !== 'string' || typeof ref.type !== 'string')
    throw new EksError('InvalidParameterException', 'identityProviderConfig must have a type and a name.', {
      clusterName,
    });
  if (ref.type !== 'oidc')
    throw new EksError('InvalidParameterException', `Unsupported identity provider config type: ${ref.type}`, {
      clusterName,
    });
  return ref.name;
}

export async function requireConfig(ctx: EksContext, cluster: string, name: string) {
  const found = await readJson<StoredIdentityProviderConfig>(ctx.store, providerKeys.one(cluster, name));
  const status = found && statusAt(found.value, ctx.now());
  if (!found || !status)
    throw new EksError(
      'ResourceNotFoundException',
      `Identity provider config ${name} not found for cluster ${cluster}.`,
      {
        clusterName: cluster,
      },
    );
  return { ...found, status };
}

export const updateParams = (name: string) => [
  { type: 'IdentityProviderConfig', value: JSON.stringify([{ type: 'oidc', name }]) },
];

/** An Associate/Disassociate update as DescribeUpdate returns it (InProgress until the config's transition is done). */
export async function identityProviderUpdate(store: Backend, cluster: string, id: string, now: number) {
  const found = await readJson<StoredUpdate>(store, providerKeys.update(cluster, id));
  if (!found) return undefined;
  return { ...found.value.update, status: now >= found.value.doneAt ? 'Successful' : 'InProgress' };
}

export async function recordUpdate(
  ctx: EksContext,
  cluster: string,
  type: StoredUpdate['update']['type'],
  name: string,
  doneAt: number,
) {
  const stored: StoredUpdate = {
    update: { id: randomUUID(), type, params: updateParams(name), createdAt: ctx.now() / 1000, errors: [] },
    doneAt,
  };
  await ctx.store.create(providerKeys.update(cluster, stored.update.id), JSON.stringify(stored));
  return { ...stored.update, status: 'InProgress' as const };
}
