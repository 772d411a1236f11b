// The Update records EKS keeps for clusters, node groups and add-ons (DescribeUpdate / ListUpdates): one store key
// per update under /eks/updates/<cluster>/<id>, with the node group or add-on it belongs to, if any. Generic: the
// node-group, add-on and cluster handlers all start and finish updates through these functions.
import { randomUUID } from 'node:crypto';
import type { Backend } from '../../store/types.js';
import { readJson } from '../context.js';

export type UpdateStatus = 'InProgress' | 'Failed' | 'Cancelled' | 'Successful';

export interface UpdateParam {
  type: string;
  value: string;
}

export interface UpdateError {
  errorCode: string;
  errorMessage: string;
  resourceIds: string[];
}

/** The model's Update shape. */
export interface Update {
  id: string;
  status: UpdateStatus;
  type: string;
  params: UpdateParam[];
  createdAt: number;
  errors: UpdateError[];
}

/** What an update belongs to besides its cluster: nothing (a cluster update), a node group or an add-on. */
export interface UpdateScope {
  nodegroupName?: string;
  addonName?: string;
}

export interface StoredUpdate {
  update: Update;
  scope: UpdateScope;
  clientRequestToken?: string;
}

export const updateKeys = {
  update: (cluster: string, id: string) => `/eks/updates/${cluster}/${id}`,
  updates: (cluster: string) => `/eks/updates/${cluster}/`,
};

const sameScope = (a: UpdateScope, b: UpdateScope) =>
  (a.nodegroupName ?? '') === (b.nodegroupName ?? '') && (a.addonName ?? '') === (b.addonName ?? '');

/** Stores a new InProgress update and returns it. */
export async function startUpdate(
  store: Backend,
  cluster: string,
  scope: UpdateScope,
  type: string,
  params: UpdateParam[],
  now: number,
  clientRequestToken?: string,
): Promise<Update> {
  const update: Update = { id: randomUUID(), status: 'InProgress', type, params, createdAt: now / 1000, errors: [] };
  const record: StoredUpdate = { update, scope, clientRequestToken };
  await store.create(updateKeys.update(cluster, update.id), JSON.stringify(record));
  return update;
}

/** The update of this scope a retried request with the same token started, if any (idempotency). */
export async function updateByToken(
  store: Backend,
  cluster: string,
  scope: UpdateScope,
  token: string | undefined,
): Promise<Update | undefined> {
  if (!token) return undefined;
  const found = (await listStoredUpdates(store, cluster)).find(
    (u) => u.clientRequestToken === token && sameScope(u.scope, scope),
  );
  return found?.update;
}

export async function readUpdate(store: Backend, cluster: string, id: string) {
  return readJson<StoredUpdate>(store, updateKeys.update(cluster, id));
}

/** Every update of a cluster, oldest first. */
export async function listStoredUpdates(store: Backend, cluster: string): Promise<StoredUpdate[]> {
  const { items } = await store.list(updateKeys.updates(cluster));
  return items
    .map((kv) => JSON.parse(kv.value) as StoredUpdate)
    .sort((a, b) => a.update.createdAt - b.update.createdAt || a.update.id.localeCompare(b.update.id));
}

/** The updates of one scope (exactly: a cluster's own updates exclude its node groups' and add-ons'). */
export async function updatesOf(store: Backend, cluster: string, scope: UpdateScope): Promise<StoredUpdate[]> {
  return (await listStoredUpdates(store, cluster)).filter((u) => sameScope(u.scope, scope));
}

/** Ends an InProgress update; an update already ended stays as it ended. Returns the update as stored. */
export async function finishUpdate(
  store: Backend,
  cluster: string,
  id: string,
  status: Exclude<UpdateStatus, 'InProgress'>,
  errors: UpdateError[] = [],
): Promise<Update | undefined> {
  const found = await readUpdate(store, cluster, id);
  if (!found) return undefined;
  if (found.value.update.status !== 'InProgress') return found.value.update;
  const record: StoredUpdate = { ...found.value, update: { ...found.value.update, status, errors } };
  await store.update(updateKeys.update(cluster, id), JSON.stringify(record), found.modRevision);
  return record.update;
}

/** Removes a node group's or add-on's updates once it is gone (EKS forgets them with it). */
export async function forgetUpdates(store: Backend, cluster: string, scope: UpdateScope): Promise<void> {
  for (const u of await updatesOf(store, cluster, scope)) {
    await store.delete(updateKeys.update(cluster, u.update.id)).catch(() => undefined);
  }
}
