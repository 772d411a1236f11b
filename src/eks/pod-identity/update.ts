// UpdatePodIdentityAssociation: POST /clusters/{name}/pod-identity-associations/{associationId} — roleArn,
// targetRoleArn (a new one gets a new externalId), disableSessionTags and policy change; modifiedAt moves.
import { randomUUID } from 'node:crypto';
import { requireCluster } from '../context.js';
import { checkMemberTypes } from '../member-types.js';
import type { Route } from '../router.js';
import { associationKeys, checkBoolean, checkRoleArn, requireAssociation } from './records.js';

export const updatePodIdentityAssociation: Route = async (ctx, { params, body }) => {
  const clusterName = params.name;
  checkMemberTypes(body, {
    roleArn: 'string',
    clientRequestToken: 'string',
    targetRoleArn: 'string',
    policy: 'string',
  });
  const disableSessionTags = checkBoolean(body.disableSessionTags, 'disableSessionTags');
  await requireCluster(ctx, clusterName);
  const found = await requireAssociation(ctx, clusterName, params.associationId);
  const association = found.value.association;
  const roleArn = checkRoleArn(body.roleArn, 'roleArn', clusterName);
  const targetRoleArn = checkRoleArn(body.targetRoleArn, 'targetRoleArn', clusterName);
  if (roleArn) association.roleArn = roleArn;
  if (disableSessionTags !== undefined) association.disableSessionTags = disableSessionTags;
  if (typeof body.policy === 'string') association.policy = body.policy;
  if (targetRoleArn !== undefined && targetRoleArn !== association.targetRoleArn) {
    association.targetRoleArn = targetRoleArn;
    association.externalId = randomUUID();
  }
  association.modifiedAt = ctx.now() / 1000;
  await ctx.store.update(
    associationKeys.one(clusterName, association.associationId),
    JSON.stringify(found.value),
    found.modRevision,
  );
  return { association };
};
