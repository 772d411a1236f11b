// kube-controller-manager's root-ca-cert-publisher, kept by the kube API as it keeps each namespace's `default`
// ServiceAccount: every namespace has the ConfigMap `kube-root-ca.crt` holding the cluster CA (`ca.crt`), made
// when the namespace is, put back when deleted and restored when changed.
import type { KubeObject } from '../api/types.js';
import type { ApiContext } from '../rest/context.js';
import { createObject } from '../rest/create.js';
import { listObjects } from '../rest/list.js';
import { updateObject } from '../rest/update.js';
import { getObject } from '../storage/objects.js';

export const rootCaConfigMapName = 'kube-root-ca.crt';
const description =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

function rootCaConfigMap(namespace: string, caCert: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: rootCaConfigMapName, namespace, annotations: { 'kubernetes.io/description': description } },
    data: { 'ca.crt': caCert },
  };
}

async function publish(ctx: ApiContext, namespace: string, caCert: string): Promise<void> {
  const info = ctx.registry.lookup('', 'v1', 'configmaps')!;
  const existing = await getObject(ctx.store, info, namespace, rootCaConfigMapName);
  try {
    if (!existing) await createObject(ctx, info, namespace, rootCaConfigMap(namespace, caCert));
    else if (existing.data?.['ca.crt'] !== caCert || Object.keys(existing.data ?? {}).length !== 1) {
      const wanted = rootCaConfigMap(namespace, caCert);
      await updateObject(ctx, info, namespace, rootCaConfigMapName, {
        ...existing,
        data: wanted.data,
        metadata: {
          ...existing.metadata,
          annotations: { ...existing.metadata.annotations, ...wanted.metadata.annotations },
        },
      });
    }
  } catch (error: any) {
    // A namespace being deleted refuses new objects; a concurrent writer got there first.
    if (![403, 409, 404].includes(error?.code)) throw error;
  }
}

export async function installRootCaPublisher(ctx: ApiContext, caCert: string): Promise<void> {
  ctx.afterWrite.push(async (info, object, deleted) => {
    if (info.group !== '') return;
    if (info.resource === 'namespaces' && !deleted && !object.metadata.deletionTimestamp) {
      await publish(ctx, object.metadata.name!, caCert);
    }
    if (info.resource === 'configmaps' && object.metadata.name === rootCaConfigMapName) {
      const namespaces = ctx.registry.lookup('', 'v1', 'namespaces')!;
      const ns = await getObject(ctx.store, namespaces, undefined, object.metadata.namespace!);
      if (ns && !ns.metadata.deletionTimestamp) await publish(ctx, object.metadata.namespace!, caCert);
    }
  });
  const namespaces = await listObjects(ctx, ctx.registry.lookup('', 'v1', 'namespaces')!, undefined, {});
  for (const ns of namespaces.items as KubeObject[]) {
    if (!ns.metadata.deletionTimestamp) await publish(ctx, ns.metadata.name!, caCert);
  }
}
