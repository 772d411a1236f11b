// The access entries EKS makes itself: the cluster creator's (bootstrapClusterCreatorAdminPermissions: the
// identity of Skiff's generated credentials, with AmazonEKSClusterAdminPolicy at cluster scope) and a
// FARGATE_LINUX entry for each Fargate profile's pod execution role.
import { KeyExistsError } from '../../store/errors.js';
import { type EksContext, readJson } from '../context.js';
import { rootIdentity } from '../iam/identity.js';
import { putAccessEntry } from './api.js';
import { clusterAdminPolicyArn } from './policies.js';
import { type AccessEntryType, accessEntryKeys, type StoredAccessEntry } from './records.js';

async function ensureEntry(
  ctx: EksContext,
  clusterName: string,
  principalArn: string,
  type: AccessEntryType,
  policies: StoredAccessEntry['policies'],
): Promise<void> {
  if (await readJson(ctx.store, accessEntryKeys.entry(clusterName, principalArn))) return;
  await putAccessEntry(ctx, clusterName, { principalArn, type }, policies).catch((error) => {
    if (!(error instanceof KeyExistsError)) throw error;
  });
}

export async function ensureCreatorEntry(ctx: EksContext, clusterName: string): Promise<void> {
  const now = ctx.now();
  const policy = {
    policyArn: clusterAdminPolicyArn,
    accessScope: { type: 'cluster' as const, namespaces: [] },
    associatedAt: now,
    modifiedAt: now,
  };
  await ensureEntry(ctx, clusterName, rootIdentity(ctx.credentials).arn, 'STANDARD', [policy]);
}

export async function ensureFargateEntry(ctx: EksContext, clusterName: string, podExecutionRoleArn: string) {
  await ensureEntry(ctx, clusterName, podExecutionRoleArn, 'FARGATE_LINUX', []);
}
