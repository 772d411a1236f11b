// One garbage-collection step for one object (by uid): an owner being deleted with the `orphan` finalizer frees
// its dependents, one with `foregroundDeletion` deletes them and waits for them to go; a dependent whose owners
// are all gone is deleted in the background, and references to owners that are gone are dropped.

import type { ReconcileResult } from '../../client/queue.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import type { Node, OwnershipGraph } from './graph.js';

const ref = (n: { apiVersion: string; kind: string; namespace?: string }) => ({
  apiVersion: n.apiVersion,
  kind: n.kind,
  namespace: n.namespace,
});

const ignoreMissing = (error: any) => {
  if (error?.code !== 404 && error?.code !== 409) throw error;
};

async function setOwners(client: KubeClient, node: Node, keep: (uid: string) => boolean): Promise<void> {
  const ownerReferences = node.owners.filter((o) => keep(o.uid));
  await client
    .patch(
      ref(node),
      node.name,
      { metadata: { ownerReferences: ownerReferences.length ? ownerReferences : null } },
      'merge',
    )
    .catch(ignoreMissing);
}

async function removeFinalizer(client: KubeClient, node: Node, finalizer: string): Promise<void> {
  const finalizers = node.finalizers.filter((f) => f !== finalizer);
  await client
    .patch(ref(node), node.name, { metadata: { finalizers: finalizers.length ? finalizers : null } }, 'merge')
    .catch(ignoreMissing);
}

/** Whether the owner still exists with that uid (a live read: the graph may lag behind). */
async function ownerExists(
  client: KubeClient,
  node: Node,
  owner: { apiVersion: string; kind: string; name: string; uid: string },
) {
  try {
    const live: KubeObject = await client.get(
      { apiVersion: owner.apiVersion, kind: owner.kind, namespace: node.namespace },
      owner.name,
    );
    return live.metadata.uid === owner.uid;
  } catch (error: any) {
    if (error?.code === 404) return false;
    throw error;
  }
}

export async function collect(client: KubeClient, graph: OwnershipGraph, uid: string): Promise<ReconcileResult> {
  const node = graph.get(uid);
  if (!node) return {};
  if (node.deleting && node.finalizers.includes('orphan')) {
    for (const dependent of graph.dependents(uid)) await setOwners(client, dependent, (o) => o !== uid);
    await removeFinalizer(client, node, 'orphan');
    return {};
  }
  if (node.deleting && node.finalizers.includes('foregroundDeletion')) {
    const dependents = graph.dependents(uid);
    for (const dependent of dependents.filter((d) => !d.deleting)) {
      await client.delete(ref(dependent), dependent.name, { propagationPolicy: 'Foreground' }).catch(ignoreMissing);
    }
    if (dependents.length > 0) return { requeueAfterMs: 200 };
    await removeFinalizer(client, node, 'foregroundDeletion');
    return {};
  }
  if (node.owners.length === 0) return {};
  const alive = new Set<string>();
  for (const owner of node.owners) if (await ownerExists(client, node, owner)) alive.add(owner.uid);
  if (alive.size === 0) {
    if (!node.deleting)
      await client.delete(ref(node), node.name, { propagationPolicy: 'Background' }).catch(ignoreMissing);
  } else if (alive.size < node.owners.length) {
    await setOwners(client, node, (o) => alive.has(o));
  }
  return {};
}
