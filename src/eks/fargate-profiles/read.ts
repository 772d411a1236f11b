// Reading stored Fargate profiles, and the not-found error EKS gives for a missing one.
import type { Backend } from '../../store/types.js';
import { type EksContext, readJson, requireCluster } from '../context.js';
import { EksError } from '../errors.js';
import { keys, type StoredProfile } from '../records.js';

export async function readStoredProfiles(store: Backend, clusterName: string): Promise<StoredProfile[]> {
  const { items } = await store.list(keys.profiles(clusterName));
  return items.map((kv) => JSON.parse(kv.value) as StoredProfile);
}

export async function requireProfile(ctx: EksContext, clusterName: string, name: string) {
  await requireCluster(ctx, clusterName);
  const found = await readJson<StoredProfile>(ctx.store, keys.profile(clusterName, name));
  if (!found) {
    throw new EksError('ResourceNotFoundException', `No Fargate Profile found with name: ${name}.`, {
      clusterName,
      fargateProfileName: name,
    });
  }
  return found;
}
