// The `kubernetes` Service's endpoints, which kube-apiserver's endpoint reconciler keeps rather than a controller:
// Endpoints `default/kubernetes` (label skip-mirror) and EndpointSlice `default/kubernetes` naming the API
// server's addresses and port (EKS shows the control plane's private IPs on 443).
import { isDeepStrictEqual } from 'node:util';
import { getIfExists } from '../../client/objects.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { endpointsRef } from './reconcile.js';

export interface ApiServerEndpoints {
  addresses: string[];
  /** Defaults to 443, the port EKS's API endpoint serves. */
  port?: number;
}

const namespace = 'default';
const name = 'kubernetes';
const sliceRef = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespace };

export async function reconcileApiServerEndpoints(client: KubeClient, apiServer: ApiServerEndpoints): Promise<void> {
  const port = { name: 'https', port: apiServer.port ?? 443, protocol: 'TCP' };
  const addresses = [...apiServer.addresses].sort();
  await ensure(client, endpointsRef(namespace), {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: addresses.length ? [{ addresses: addresses.map((ip) => ({ ip })), ports: [port] }] : undefined,
  });
  await ensure(client, sliceRef, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    endpoints: addresses.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    ports: [port],
  });
}

/** Creates the object, or rewrites the fields this reconciler owns when they differ. */
async function ensure(client: KubeClient, ref: typeof sliceRef, desired: KubeObject): Promise<void> {
  if (desired.subsets === undefined) delete desired.subsets;
  const current = await getIfExists(client, ref, name);
  if (!current) {
    await client.create(desired);
    return;
  }
  const owned = Object.keys(desired).filter((k) => !['apiVersion', 'kind', 'metadata'].includes(k));
  const next = structuredClone(current);
  for (const field of owned) next[field] = desired[field];
  if (current.subsets && !desired.subsets) delete next.subsets;
  next.metadata.labels = { ...current.metadata.labels, ...desired.metadata.labels };
  if (!isDeepStrictEqual(next, current)) await client.update(next);
}
