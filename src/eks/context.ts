// What every EKS API handler works with: the store, this server's cluster and account, and the clock.
import type { Backend } from '../store/types.js';
import type { SecretsEncryption } from './clusters/encryption.js';
import type { ClusterUpdates } from './clusters/updates-store.js';
import type { AwsCredentials } from './credentials.js';
import { clusterNotFound } from './errors.js';
import { type ClusterRecord, keys, type Vpc } from './records.js';
import type { Transitions } from './transitions.js';
import { readVpc } from './vpc.js';

export interface EksContext {
  store: Backend;
  region: string;
  credentials: AwsCredentials;
  /** Milliseconds a profile or node group spends in CREATING or DELETING. */
  transitionDelayMs: number;
  transitions: Transitions;
  now: () => number;
  /** The clusters' Update records (UpdateClusterVersion, UpdateClusterConfig, AssociateEncryptionConfig). */
  clusterUpdates: ClusterUpdates;
  /** Secrets encryption at rest, when this server can do it (AssociateEncryptionConfig). */
  secretsEncryption?: SecretsEncryption;
}

export async function readJson<T>(store: Backend, key: string): Promise<{ value: T; modRevision: number } | undefined> {
  const kv = await store.get(key);
  return kv ? { value: JSON.parse(kv.value) as T, modRevision: kv.modRevision } : undefined;
}

/** The cluster record, or ResourceNotFoundException as EKS words it. */
export async function requireCluster(ctx: EksContext, name: string): Promise<ClusterRecord> {
  const found = await readJson<ClusterRecord>(ctx.store, keys.cluster(name));
  if (!found) throw clusterNotFound(name);
  return found.value;
}

export async function requireClusterVpc(ctx: EksContext, cluster: ClusterRecord): Promise<Vpc> {
  const vpc = await readVpc(ctx.store, cluster.vpcId);
  if (!vpc) throw new Error(`VPC ${cluster.vpcId} of cluster ${cluster.name} is missing from the store`);
  return vpc;
}

export const epochSeconds = (ms: number) => Math.round(ms) / 1000;
