// The cluster's Update records (UpdateClusterVersion, UpdateClusterConfig, AssociateEncryptionConfig) under
// /eks/clusterupdates/<cluster>/<id>: one InProgress update at a time per cluster (the cluster is UPDATING
// meanwhile), each carrying the change it makes to the cluster record; at `completeAt` the change is applied,
// the cluster goes back to ACTIVE and the update becomes Successful (or Failed, with its errors). Pending
// completions survive a restart (`resume`).
//
// A minimal interface of its own: the generic Update store for node groups and add-ons belongs to another slice
// (src/eks/updates/); the two are merged there.
import { randomUUID } from 'node:crypto';
import type { Backend } from '../../store/types.js';
import { readJson } from '../context.js';
import { EksError } from '../errors.js';
import { KeyTimers } from '../key-timers.js';
import { type ClusterRecord, keys, type Update } from '../records.js';

export interface StoredClusterUpdate {
  clusterName: string;
  update: Update;
  /** The members the cluster record takes when the update succeeds. */
  change: Partial<ClusterRecord>;
  /** Epoch ms when it completes; absent once it has. */
  completeAt?: number;
}

/** Work an update must do before it succeeds (e.g. turning on Secrets encryption); a throw fails the update. */
export type UpdateWork = (stored: StoredClusterUpdate) => Promise<void>;

export interface ClusterUpdates {
  /** Starts an update of `type` on the cluster (refused while another is InProgress) and returns it. */
  begin(clusterName: string, type: string, params: Update['params'], change: Partial<ClusterRecord>): Promise<Update>;
  get(clusterName: string, id: string): Promise<Update | undefined>;
  /** The cluster's updates, oldest first. */
  list(clusterName: string): Promise<Update[]>;
  /** Whether one is InProgress (DeleteCluster waits for it). */
  inProgress(clusterName: string): Promise<Update | undefined>;
  /** Drops the records of a deleted cluster. */
  forget(clusterName: string): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

export class StoreClusterUpdates implements ClusterUpdates {
  private readonly timers: KeyTimers;

  constructor(
    private readonly store: Backend,
    private readonly now: () => number,
    private readonly delayMs: number,
    /** Work per update type, run at completion. */
    private readonly work: Record<string, UpdateWork> = {},
  ) {
    this.timers = new KeyTimers(
      now,
      (key) => this.complete(key),
      (key, error) =>
        process.stderr.write(`eks api: cluster update ${key}: ${error instanceof Error ? error.stack : error}\n`),
    );
  }

  private async all(clusterName: string): Promise<StoredClusterUpdate[]> {
    const { items } = await this.store.list(keys.clusterUpdates(clusterName));
    return items
      .map((kv) => JSON.parse(kv.value) as StoredClusterUpdate)
      .sort((a, b) => a.update.createdAt - b.update.createdAt);
  }

  async inProgress(clusterName: string): Promise<Update | undefined> {
    return (await this.all(clusterName)).find((s) => s.update.status === 'InProgress')?.update;
  }

  async begin(clusterName: string, type: string, params: Update['params'], change: Partial<ClusterRecord>) {
    const busy = await this.inProgress(clusterName);
    if (busy) {
      throw new EksError(
        'ResourceInUseException',
        `Cannot ${type} because cluster ${clusterName} currently has update ${busy.id} in progress`,
        { clusterName },
      );
    }
    const found = await readJson<ClusterRecord>(this.store, keys.cluster(clusterName));
    if (!found)
      throw new EksError('ResourceNotFoundException', `No cluster found for name: ${clusterName}.`, { clusterName });
    const now = this.now();
    const update: Update = { id: randomUUID(), status: 'InProgress', type, params, createdAt: now / 1000, errors: [] };
    const stored: StoredClusterUpdate = { clusterName, update, change, completeAt: now + this.delayMs };
    const key = keys.clusterUpdate(clusterName, update.id);
    await this.store.create(key, JSON.stringify(stored));
    const cluster: ClusterRecord = { ...found.value, status: 'UPDATING' };
    await this.store.update(keys.cluster(clusterName), JSON.stringify(cluster), found.modRevision);
    this.schedule(key, stored.completeAt as number);
    return update;
  }

  async get(clusterName: string, id: string): Promise<Update | undefined> {
    return (await readJson<StoredClusterUpdate>(this.store, keys.clusterUpdate(clusterName, id)))?.value.update;
  }

  async list(clusterName: string): Promise<Update[]> {
    return (await this.all(clusterName)).map((s) => s.update);
  }

  async forget(clusterName: string): Promise<void> {
    const { items } = await this.store.list(keys.clusterUpdates(clusterName));
    for (const kv of items) {
      this.timers.cancel(kv.key);
      await this.store.delete(kv.key).catch(() => undefined);
    }
  }

  async resume(): Promise<void> {
    const { items } = await this.store.list(keys.allClusterUpdates());
    for (const kv of items) {
      const stored = JSON.parse(kv.value) as StoredClusterUpdate;
      if (stored.completeAt !== undefined) this.schedule(kv.key, stored.completeAt);
    }
  }

  private schedule(key: string, at: number): void {
    this.timers.schedule(key, at);
  }

  private async complete(key: string): Promise<void> {
    const kv = await this.store.get(key);
    if (!kv || this.timers.closed) return;
    const stored = JSON.parse(kv.value) as StoredClusterUpdate;
    if (stored.update.status !== 'InProgress') return;
    let failure: string | undefined;
    try {
      await this.work[stored.update.type]?.(stored);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const found = await readJson<ClusterRecord>(this.store, keys.cluster(stored.clusterName));
    if (found) {
      const cluster: ClusterRecord = {
        ...found.value,
        ...(failure ? {} : stored.change),
        status: found.value.status === 'UPDATING' ? 'ACTIVE' : found.value.status,
      };
      await this.store.update(keys.cluster(stored.clusterName), JSON.stringify(cluster), found.modRevision);
    }
    const done: StoredClusterUpdate = {
      ...stored,
      completeAt: undefined,
      update: {
        ...stored.update,
        status: failure ? 'Failed' : 'Successful',
        errors: failure
          ? [{ errorCode: 'OperationNotPermitted', errorMessage: failure, resourceIds: [stored.clusterName] }]
          : [],
      },
    };
    await this.store.update(key, JSON.stringify(done), kv.modRevision);
  }

  close(): Promise<void> {
    return this.timers.close();
  }
}
