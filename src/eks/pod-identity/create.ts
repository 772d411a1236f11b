// CreatePodIdentityAssociation: POST /clusters/{name}/pod-identity-associations — one association per namespace and
// ServiceAccount (a second is ResourceInUseException), roleArn required, targetRoleArn gets an externalId,
// clientRequestToken replays the first answer.
import { randomUUID } from 'node:crypto';
import { requireCluster } from '../context.js';
import { EksError, invalidParameter } from '../errors.js';
import { checkMemberTypes } from '../member-types.js';
import type { Route } from '../router.js';
import {
  associationArn,
  associationKeys,
  checkBoolean,
  checkRoleArn,
  newAssociationId,
  type PodIdentityAssociation,
  readAssociations,
  type StoredAssociation,
} from './records.js';

export const createPodIdentityAssociation: Route = async (ctx, { params, body }) => {
  const clusterName = params.name;
  checkMemberTypes(body, {
    namespace: 'string',
    serviceAccount: 'string',
    roleArn: 'string',
    clientRequestToken: 'string',
    tags: 'map<string,string>',
    targetRoleArn: 'string',
    policy: 'string',
  });
  const disableSessionTags = checkBoolean(body.disableSessionTags, 'disableSessionTags') ?? false;
  await requireCluster(ctx, clusterName);
  for (const member of ['namespace', 'serviceAccount', 'roleArn'])
    if (!body[member]) throw invalidParameter(`${member} is required.`, { clusterName });
  const roleArn = checkRoleArn(body.roleArn, 'roleArn', clusterName)!;
  const targetRoleArn = checkRoleArn(body.targetRoleArn, 'targetRoleArn', clusterName);
  const namespace = body.namespace as string;
  const serviceAccount = body.serviceAccount as string;
  const token = body.clientRequestToken as string | undefined;
  const stored = await readAssociations(ctx, clusterName);
  const replay = token ? stored.find((s) => s.clientRequestToken === token) : undefined;
  if (replay) return { association: replay.association };
  const taken = stored.find(
    (s) => s.association.namespace === namespace && s.association.serviceAccount === serviceAccount,
  );
  if (taken)
    throw new EksError('ResourceInUseException', `Association already exists: ${taken.association.associationArn}`, {
      clusterName,
    });
  const id = newAssociationId();
  const now = ctx.now() / 1000;
  const association: PodIdentityAssociation = {
    clusterName,
    namespace,
    serviceAccount,
    roleArn,
    associationArn: associationArn(ctx, clusterName, id),
    associationId: id,
    tags: (body.tags as Record<string, string>) ?? {},
    createdAt: now,
    modifiedAt: now,
    disableSessionTags,
    ...(targetRoleArn ? { targetRoleArn, externalId: randomUUID() } : {}),
    ...(body.policy ? { policy: body.policy as string } : {}),
  };
  const record: StoredAssociation = { association, ...(token ? { clientRequestToken: token } : {}) };
  await ctx.store.create(associationKeys.one(clusterName, id), JSON.stringify(record));
  return { association };
};
