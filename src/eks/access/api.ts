// The EKS access-entry operations (botocore eks 2017-11-01): Create/Describe/List/Update/DeleteAccessEntry,
// ListAccessPolicies, Associate/Disassociate/ListAssociatedAccessPolicies. Entries live in the store beside the
// cluster; the kube API's IAM authenticator and authorizer read them from there (cache.ts).
import { randomUUID } from 'node:crypto';
import { type EksContext, epochSeconds, readJson, requireCluster } from '../context.js';
import { EksError, invalidParameter } from '../errors.js';
import { checkMemberTypes } from '../member-types.js';
import { paginate } from '../paging.js';
import type { Route } from '../router.js';
import { accessPolicies, policyByArn } from './policies.js';
import {
  type AccessEntry,
  type AccessEntryType,
  type AccessScope,
  accessEntryKeys,
  defaultUsername,
  readAccessEntries,
  type StoredAccessEntry,
} from './records.js';

const entryTypes: AccessEntryType[] = ['STANDARD', 'FARGATE_LINUX', 'EC2_LINUX', 'EC2_WINDOWS'];

const entryNotFound = (clusterName: string) =>
  new EksError(
    'ResourceNotFoundException',
    "The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.",
    { clusterName },
  );

function checkGroups(groups: string[]): void {
  for (const group of groups)
    if (group.startsWith('system:'))
      throw invalidParameter(`The kubernetes group name ${group} is invalid, it cannot start with system:`);
}

const asApi = (entry: AccessEntry) => ({
  ...entry,
  createdAt: epochSeconds(entry.createdAt),
  modifiedAt: epochSeconds(entry.modifiedAt),
});

async function requireEntry(ctx: EksContext, cluster: string, principalArn: string) {
  await requireCluster(ctx, cluster);
  const found = await readJson<StoredAccessEntry>(ctx.store, accessEntryKeys.entry(cluster, principalArn));
  if (!found) throw entryNotFound(cluster);
  return found;
}

async function writeEntry(ctx: EksContext, stored: StoredAccessEntry, expectedRevision?: number) {
  const key = accessEntryKeys.entry(stored.entry.clusterName, stored.entry.principalArn);
  if (expectedRevision === undefined) await ctx.store.create(key, JSON.stringify(stored));
  else await ctx.store.update(key, JSON.stringify(stored), expectedRevision);
}

/** Creates an entry (the API's and Skiff's own: the creator's, each Fargate profile's pod execution role). */
export async function putAccessEntry(
  ctx: EksContext,
  clusterName: string,
  input: {
    principalArn: string;
    type?: AccessEntryType;
    kubernetesGroups?: string[];
    username?: string;
    tags?: Record<string, string>;
  },
  policies: StoredAccessEntry['policies'] = [],
  clientRequestToken?: string,
): Promise<AccessEntry> {
  const type = input.type ?? 'STANDARD';
  const now = ctx.now();
  const entry: AccessEntry = {
    clusterName,
    principalArn: input.principalArn,
    kubernetesGroups: input.kubernetesGroups ?? [],
    accessEntryArn: `arn:aws:eks:${ctx.region}:${ctx.credentials.accountId}:access-entry/${clusterName}/${principalKind(input.principalArn)}/${ctx.credentials.accountId}/${principalName(input.principalArn)}/${randomUUID()}`,
    createdAt: now,
    modifiedAt: now,
    tags: input.tags ?? {},
    username: input.username ?? defaultUsername(input.principalArn, type),
    type,
  };
  await writeEntry(ctx, { entry, policies, clientRequestToken });
  return entry;
}

const principalKind = (arn: string) => (/:role\//.test(arn) ? 'role' : 'user');
const principalName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1).replace(/^arn:.*:/, '');

export const createAccessEntry: Route = async (ctx, { params, body }) => {
  checkMemberTypes(body, {
    principalArn: 'string',
    kubernetesGroups: 'list<string>',
    tags: 'map<string,string>',
    clientRequestToken: 'string',
    username: 'string',
    type: 'string',
  });
  const clusterName = params.name;
  await requireCluster(ctx, clusterName);
  const principalArn = body.principalArn as string | undefined;
  if (!principalArn) throw invalidParameter('principalArn is required.', { clusterName });
  if (!/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/.test(principalArn))
    throw invalidParameter(`The principalArn ${principalArn} is not a valid IAM role or user ARN.`, { clusterName });
  const type = (body.type as AccessEntryType | undefined) ?? 'STANDARD';
  if (!entryTypes.includes(type))
    throw invalidParameter(`The type ${type} is invalid, valid values are ${entryTypes.join(', ')}.`, { clusterName });
  const groups = (body.kubernetesGroups as string[] | undefined) ?? [];
  checkGroups(groups);
  if (type !== 'STANDARD' && (groups.length || body.username))
    throw invalidParameter(`kubernetesGroups and username cannot be specified for an access entry of type ${type}.`, {
      clusterName,
    });
  const existing = await readJson<StoredAccessEntry>(ctx.store, accessEntryKeys.entry(clusterName, principalArn));
  const token = body.clientRequestToken as string | undefined;
  if (existing) {
    if (token && existing.value.clientRequestToken === token) return { accessEntry: asApi(existing.value.entry) };
    throw new EksError(
      'ResourceInUseException',
      'The specified access entry resource is already in use on this cluster.',
      {
        clusterName,
      },
    );
  }
  const entry = await putAccessEntry(
    ctx,
    clusterName,
    {
      principalArn,
      type,
      kubernetesGroups: groups,
      username: body.username as string | undefined,
      tags: body.tags as Record<string, string> | undefined,
    },
    [],
    token,
  );
  return { accessEntry: asApi(entry) };
};

export const describeAccessEntry: Route = async (ctx, { params }) => {
  const { value } = await requireEntry(ctx, params.name, params.principalArn);
  return { accessEntry: asApi(value.entry) };
};

export const listAccessEntries: Route = async (ctx, { params, query }) => {
  await requireCluster(ctx, params.name);
  const policyArn = query.get('associatedPolicyArn');
  const entries = (await readAccessEntries(ctx.store, params.name)).filter(
    (s) => !policyArn || s.policies.some((p) => p.policyArn === policyArn),
  );
  const page = paginate(entries.map((s) => s.entry.principalArn).sort(), query, { clusterName: params.name });
  return { accessEntries: page.names, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};

export const updateAccessEntry: Route = async (ctx, { params, body }) => {
  checkMemberTypes(body, { kubernetesGroups: 'list<string>', clientRequestToken: 'string', username: 'string' });
  const { value, modRevision } = await requireEntry(ctx, params.name, params.principalArn);
  const entry = { ...value.entry };
  if (body.kubernetesGroups !== undefined || body.username !== undefined) {
    if (entry.type !== 'STANDARD')
      throw invalidParameter(
        `kubernetesGroups and username cannot be specified for an access entry of type ${entry.type}.`,
        {
          clusterName: params.name,
        },
      );
  }
  if (body.kubernetesGroups !== undefined) {
    checkGroups(body.kubernetesGroups as string[]);
    entry.kubernetesGroups = body.kubernetesGroups as string[];
  }
  if (body.username !== undefined) entry.username = body.username as string;
  entry.modifiedAt = ctx.now();
  await writeEntry(ctx, { ...value, entry }, modRevision);
  return { accessEntry: asApi(entry) };
};

export const deleteAccessEntry: Route = async (ctx, { params }) => {
  await requireEntry(ctx, params.name, params.principalArn);
  await ctx.store.delete(accessEntryKeys.entry(params.name, params.principalArn));
  return {};
};

export const listAccessPolicies: Route = async (_ctx, { query }) => {
  const page = paginate(accessPolicies.map((p) => p.arn).sort(), query);
  const listed = accessPolicies.filter((p) => page.names.includes(p.arn)).map(({ name, arn }) => ({ name, arn }));
  return { accessPolicies: listed, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};

function checkScope(scope: unknown, clusterName: string): AccessScope {
  const s = (scope ?? {}) as Partial<AccessScope>;
  if (s.type !== 'cluster' && s.type !== 'namespace')
    throw invalidParameter(`The accessScope type ${String(s.type)} is invalid, valid values are cluster, namespace.`, {
      clusterName,
    });
  const namespaces = s.namespaces ?? [];
  if (s.type === 'namespace' && namespaces.length === 0)
    throw invalidParameter('At least one namespace must be specified for an accessScope of type namespace.', {
      clusterName,
    });
  if (s.type === 'cluster' && namespaces.length > 0)
    throw invalidParameter('Namespaces cannot be specified for an accessScope of type cluster.', { clusterName });
  return { type: s.type, namespaces };
}

const policyApi = (p: StoredAccessEntry['policies'][number]) => ({
  ...p,
  associatedAt: epochSeconds(p.associatedAt),
  modifiedAt: epochSeconds(p.modifiedAt),
});

export const associateAccessPolicy: Route = async (ctx, { params, body }) => {
  checkMemberTypes(body, { policyArn: 'string' });
  const clusterName = params.name;
  const { value, modRevision } = await requireEntry(ctx, clusterName, params.principalArn);
  const policyArn = body.policyArn as string | undefined;
  if (!policyArn || !policyByArn(policyArn))
    throw invalidParameter(`The policyArn ${policyArn ?? ''} is not a valid access policy.`, { clusterName });
  if (value.entry.type !== 'STANDARD')
    throw invalidParameter(`Access policies cannot be associated with an access entry of type ${value.entry.type}.`, {
      clusterName,
    });
  const accessScope = checkScope(body.accessScope, clusterName);
  const now = ctx.now();
  const previous = value.policies.find((p) => p.policyArn === policyArn);
  const associated = { policyArn, accessScope, associatedAt: previous?.associatedAt ?? now, modifiedAt: now };
  const policies = [...value.policies.filter((p) => p.policyArn !== policyArn), associated];
  await writeEntry(ctx, { ...value, policies }, modRevision);
  return { clusterName, principalArn: params.principalArn, associatedAccessPolicy: policyApi(associated) };
};

export const disassociateAccessPolicy: Route = async (ctx, { params }) => {
  const { value, modRevision } = await requireEntry(ctx, params.name, params.principalArn);
  const policies = value.policies.filter((p) => p.policyArn !== params.policyArn);
  if (policies.length !== value.policies.length) await writeEntry(ctx, { ...value, policies }, modRevision);
  return {};
};

export const listAssociatedAccessPolicies: Route = async (ctx, { params, query }) => {
  const { value } = await requireEntry(ctx, params.name, params.principalArn);
  const page = paginate(value.policies.map((p) => p.policyArn).sort(), query, { clusterName: params.name });
  const listed = value.policies.filter((p) => page.names.includes(p.policyArn)).map(policyApi);
  return {
    clusterName: params.name,
    principalArn: params.principalArn,
    associatedAccessPolicies: listed,
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
};
