// Reconciles one terminating namespace: deletes everything in it, and once nothing is left removes the
// `kubernetes` finalizer (through /finalize), which lets the API server remove the namespace itself.

import { getIfExists } from '../../client/objects.js';
import { ignoreNotFoundOrConflict } from '../../kube/api/errors.js';
import type { KubeClient, ResourceRef } from '../../kube/client/types.js';

export type Result = { requeueAfterMs?: number };

/** The namespaced resources a namespace's deletion must empty (anything listable and deletable). */
export type ContentResources = () => Omit<ResourceRef, 'namespace'>[];

export async function reconcileNamespace(
  client: KubeClient,
  resources: ContentResources,
  name: string,
): Promise<Result> {
  const namespace = await getIfExists(client, { apiVersion: 'v1', kind: 'Namespace' }, name);
  if (!namespace) return {};
  if (!namespace.metadata.deletionTimestamp) return {};
  let remaining = 0;
  for (const ref of resources()) {
    const list = await client.list({ ...ref, namespace: name });
    remaining += list.items.length;
    for (const item of list.items) {
      if (item.metadata.deletionTimestamp) continue;
      await client
        .delete({ ...ref, namespace: name }, item.metadata.name!, { propagationPolicy: 'Background' })
        .catch(ignoreNotFoundOrConflict);
    }
  }
  if (remaining > 0) return { requeueAfterMs: 500 };
  const finalizers: string[] = namespace.spec?.finalizers ?? [];
  if (!finalizers.includes('kubernetes')) return {};
  namespace.spec = { ...namespace.spec, finalizers: finalizers.filter((f) => f !== 'kubernetes') };
  await client.update(namespace, { subresource: 'finalize' });
  return {};
}
