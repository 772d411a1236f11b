// DeleteFargateProfile: DELETE /clusters/{name}/fargate-profiles/{fargateProfileName} → DELETING, then gone.
import { validateProfileDelete } from '../../fargate/profile-validation.js';
import { EksError } from '../errors.js';
import { keys, type StoredProfile } from '../records.js';
import type { Route } from '../router.js';
import { readStoredProfiles, requireProfile } from './read.js';

export const deleteFargateProfile: Route = async (ctx, { params }) => {
  const clusterName = params.name;
  const name = params.fargateProfileName;
  const found = await requireProfile(ctx, clusterName, name);
  const existing = (await readStoredProfiles(ctx.store, clusterName)).map((s) => ({
    name: s.profile.fargateProfileName,
    status: s.profile.status,
  }));
  const busy = validateProfileDelete(name, { clusterName, existing, subnets: [] });
  if (busy) throw new EksError(busy.reason, busy.message, { clusterName, fargateProfileName: name });
  const transitionAt = ctx.now() + ctx.transitionDelayMs;
  const record: StoredProfile = {
    ...found.value,
    profile: { ...found.value.profile, status: 'DELETING' },
    transitionAt,
  };
  const key = keys.profile(clusterName, name);
  await ctx.store.update(key, JSON.stringify(record), found.modRevision);
  ctx.transitions.schedule(key, transitionAt);
  return { fargateProfile: record.profile };
};
