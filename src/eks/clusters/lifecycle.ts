// The two steps of a cluster's lifecycle that happen outside a request, called by whoever runs the clusters'
// control planes (src/cli): CREATING → ACTIVE once its kube API answers (with its endpoint and CA), and the end of
// DELETING, when its pods, nodes and state are gone: the record and everything the EKS API kept for it go too.
import { ConflictError } from '../../store/errors.js';
import type { Backend } from '../../store/types.js';
import { accessEntryKeys } from '../access/records.js';
import { readJson } from '../context.js';
import { type ClusterRecord, keys } from '../records.js';

export interface ClusterEndpoint {
  endpoint: string;
  caCertPem: string;
  kubePort: number;
}

/** Records where the cluster's kube API answers; a CREATING cluster becomes ACTIVE. */
export async function recordClusterEndpoint(store: Backend, name: string, at: ClusterEndpoint): Promise<void> {
  for (;;) {
    const found = await readJson<ClusterRecord>(store, keys.cluster(name));
    if (!found || found.value.status === 'DELETING') return;
    const cluster = found.value;
    const caData = Buffer.from(at.caCertPem).toString('base64');
    const status = cluster.status === 'CREATING' ? 'ACTIVE' : cluster.status;
    if (
      cluster.endpoint === at.endpoint &&
      cluster.certificateAuthorityData === caData &&
      cluster.kubePort === at.kubePort &&
      status === cluster.status
    ) {
      return;
    }
    const updated = {
      ...cluster,
      endpoint: at.endpoint,
      certificateAuthorityData: caData,
      kubePort: at.kubePort,
      status,
    };
    try {
      await store.update(keys.cluster(name), JSON.stringify(updated), found.modRevision);
      return;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}

/** Removes a deleted cluster's record, its access entries and its update records. */
export async function forgetCluster(store: Backend, name: string): Promise<void> {
  for (const prefix of [accessEntryKeys.entries(name), keys.clusterUpdates(name)]) {
    const { items } = await store.list(prefix);
    for (const kv of items) await store.delete(kv.key).catch(() => undefined);
  }
  await store.delete(keys.cluster(name)).catch(() => undefined);
}

/** A cluster whose control plane could not start: FAILED, with the reason as a health issue (DeleteCluster works). */
export async function recordClusterFailed(store: Backend, name: string, reason: string): Promise<void> {
  const found = await readJson<ClusterRecord>(store, keys.cluster(name));
  if (found?.value.status !== 'CREATING') return;
  const failed: ClusterRecord = {
    ...found.value,
    status: 'FAILED',
    health: { issues: [{ code: 'InternalFailure', message: reason, resourceIds: [name] }] },
  };
  await store.update(keys.cluster(name), JSON.stringify(failed), found.modRevision);
}
