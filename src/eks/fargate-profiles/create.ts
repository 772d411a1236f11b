// CreateFargateProfile: POST /clusters/{name}/fargate-profiles. Validates with the pure rules of src/fargate/,
// honours clientRequestToken, stores the profile as CREATING and schedules its move to ACTIVE.
import { randomUUID } from 'node:crypto';
import { fargateProfileArn } from '../../fargate/arn.js';
import {
  type FargateProfileRequest,
  resolveProfileSubnets,
  type Violation,
  validateProfileCreate,
  validateProfileShape,
} from '../../fargate/profile-validation.js';
import { KeyExistsError } from '../../store/errors.js';
import { ensureFargateEntry } from '../access/system-entries.js';
import { requireCluster, requireClusterVpc } from '../context.js';
import { EksError } from '../errors.js';
import { checkMemberTypes } from '../member-types.js';
import { type FargateProfile, keys, type StoredProfile } from '../records.js';
import type { Route } from '../router.js';
import { subnetFacts } from '../vpc.js';
import { readStoredProfiles } from './read.js';

export const createFargateProfile: Route = async (ctx, { params, body }) => {
  const clusterName = params.name;
  checkMemberTypes(body, {
    fargateProfileName: 'string',
    podExecutionRoleArn: 'string',
    subnets: 'list<string>',
    selectors: { listOf: { namespace: 'string', labels: 'map<string,string>' } },
    clientRequestToken: 'string',
    tags: 'map<string,string>',
  });
  const cluster = await requireCluster(ctx, clusterName);
  const req = body as FargateProfileRequest & { clientRequestToken?: string };
  const token = typeof req.clientRequestToken === 'string' ? req.clientRequestToken : undefined;
  const stored = await readStoredProfiles(ctx.store, clusterName);
  const replay = token ? stored.find((s) => s.clientRequestToken === token) : undefined;
  if (replay) {
    if (replay.profile.fargateProfileName !== req.fargateProfileName) {
      throw new EksError(
        'InvalidRequestException',
        `The client request token ${token} was already used for another request.`,
        { clusterName },
      );
    }
    return { fargateProfile: replay.profile };
  }
  const fail = (v: Violation) =>
    new EksError(v.reason, v.message, { clusterName, fargateProfileName: String(req.fargateProfileName ?? '') });
  const shape = validateProfileShape(req);
  if (shape) throw fail(shape);
  const name = req.fargateProfileName as string;
  const existing = stored.map((s) => ({ name: s.profile.fargateProfileName, status: s.profile.status }));
  const facts = subnetFacts(await requireClusterVpc(ctx, cluster));
  const subnets = resolveProfileSubnets(req.subnets, facts);
  if ('reason' in subnets) throw fail(subnets);
  const conflict = validateProfileCreate(name, { clusterName, existing, subnets: facts });
  if (conflict) throw fail(conflict);

  const now = ctx.now();
  const profile: FargateProfile = {
    fargateProfileName: name,
    fargateProfileArn: fargateProfileArn(ctx.region, ctx.credentials.accountId, clusterName, name, randomUUID()),
    clusterName,
    createdAt: now / 1000,
    podExecutionRoleArn: req.podExecutionRoleArn as string,
    subnets: subnets.subnets,
    selectors: (req.selectors ?? []).map((s) => ({
      namespace: s.namespace,
      ...(s.labels && Object.keys(s.labels).length > 0 ? { labels: s.labels } : {}),
    })),
    status: 'CREATING',
    tags: req.tags ?? {},
    health: { issues: [] },
  };
  const record: StoredProfile = { profile, clientRequestToken: token, transitionAt: now + ctx.transitionDelayMs };
  const key = keys.profile(clusterName, name);
  try {
    await ctx.store.create(key, JSON.stringify(record));
  } catch (error) {
    if (error instanceof KeyExistsError) {
      throw fail({
        reason: 'ResourceInUseException',
        message: 'A Fargate Profile already exists with this name in this cluster.',
      });
    }
    throw error;
  }
  ctx.transitions.schedule(key, record.transitionAt as number);
  await ensureFargateEntry(ctx, clusterName, profile.podExecutionRoleArn);
  return { fargateProfile: profile };
};
