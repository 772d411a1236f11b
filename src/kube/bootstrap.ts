// What a new cluster has before anyone writes: the four system namespaces (three of which may never be deleted), a `default` ServiceAccount in every
// namespace (kept so as namespaces are created), and the built-in priority classes.
import { forbidden } from './api/errors.js';
import type { KubeObject } from './api/types.js';
import type { ApiContext } from './rest/context.js';
import { createObject } from './rest/create.js';

const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const priorityClasses = [
  {
    name: 'system-node-critical',
    value: 2000001000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: 2000000000,
    description:
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

async function createIfMissing(ctx: ApiContext, group: string, version: string, resource: string, object: KubeObject) {
  const info = ctx.registry.lookup(group, version, resource)!;
  try {
    await createObject(ctx, info, object.metadata.namespace, object);
  } catch (error: any) {
    if (error?.code !== 409) throw error;
  }
}

function defaultServiceAccount(namespace: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } };
}

const immortalNamespaces = ['default', 'kube-system', 'kube-public'];

export async function bootstrapCluster(ctx: ApiContext): Promise<void> {
  ctx.admission.addValidating({
    name: 'NamespaceLifecycle',
    async validate(request) {
      const { resource, operation, name } = request;
      if (operation !== 'DELETE' || resource.group !== '' || resource.resource !== 'namespaces') return;
      if (immortalNamespaces.includes(name))
        throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`);
    },
  });
  ctx.afterWrite.push(async (info, object, deleted) => {
    if (deleted || info.group !== '' || info.resource !== 'namespaces') return;
    if (object.metadata.deletionTimestamp) return;
    await createIfMissing(ctx, '', 'v1', 'serviceaccounts', defaultServiceAccount(object.metadata.name!));
  });
  for (const name of systemNamespaces) {
    await createIfMissing(ctx, '', 'v1', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await createIfMissing(ctx, '', 'v1', 'serviceaccounts', defaultServiceAccount(name));
  }
  for (const pc of priorityClasses) {
    await createIfMissing(ctx, 'scheduling.k8s.io', 'v1', 'priorityclasses', {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: pc.name },
      value: pc.value,
      globalDefault: false,
      description: pc.description,
      preemptionPolicy: 'PreemptLowerPriority',
    });
  }
}
