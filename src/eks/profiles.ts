// What the rest of Skiff reads of Fargate profiles: the list for a cluster, and a watch of their changes
// (the Fargate admission and scheduler match pods against ACTIVE profiles).
import type { Backend, Watch } from '../store/types.js';
import { type FargateProfile, keys, type StoredProfile } from './records.js';

export type { FargateProfile } from './records.js';

export async function listFargateProfiles(store: Backend, clusterName: string): Promise<FargateProfile[]> {
  const { items } = await store.list(keys.profiles(clusterName));
  return items.map((kv) => (JSON.parse(kv.value) as StoredProfile).profile);
}

export interface FargateProfileChange {
  type: 'create' | 'update' | 'delete';
  /** For `delete`, the profile as it was last stored. */
  profile: FargateProfile;
}

/**
 * Lists the cluster's profiles, then calls `onChange` for every later change (in store-revision order) until the
 * returned watch is closed. `initial` is the state the changes apply to.
 */
export async function watchFargateProfiles(
  store: Backend,
  clusterName: string,
  onChange: (change: FargateProfileChange) => void,
): Promise<{ initial: FargateProfile[]; watch: Watch }> {
  const list = await store.list(keys.profiles(clusterName));
  const initial = list.items.map((kv) => (JSON.parse(kv.value) as StoredProfile).profile);
  const watch = await store.watch(keys.profiles(clusterName), { afterRevision: list.revision }, (event) => {
    onChange({ type: event.type, profile: (JSON.parse(event.kv.value) as StoredProfile).profile });
  });
  return { initial, watch };
}
