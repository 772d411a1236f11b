// The Logging annotation of a captured pod (reference §6.2): `LoggingEnabled` when the namespace
// `aws-observability`, labelled `aws-observability: enabled`, holds the ConfigMap `aws-logging`; else disabled.
import type { KubeObject } from '../../kube/api/types.js';
import type { ApiContext } from '../../kube/rest/context.js';
import { getObject } from '../../kube/storage/objects.js';

export const observabilityNamespace = 'aws-observability';
export const loggingConfigMap = 'aws-logging';
export const loggingEnabled = 'LoggingEnabled';
export const loggingDisabled = 'LoggingDisabled: LOGGING_CONFIGMAP_NOT_FOUND';

/** Reads an object, undefined when it does not exist. */
export type ReadNamespace = (name: string) => Promise<KubeObject | undefined>;
export type ReadConfigMap = (namespace: string, name: string) => Promise<KubeObject | undefined>;

export async function loggingAnnotationValue(readNamespace: ReadNamespace, readConfigMap: ReadConfigMap) {
  const namespace = await readNamespace(observabilityNamespace);
  if (namespace?.metadata.labels?.[observabilityNamespace] !== 'enabled') return loggingDisabled;
  const configMap = await readConfigMap(observabilityNamespace, loggingConfigMap);
  return configMap ? loggingEnabled : loggingDisabled;
}

/**
 * Readers straight from the API's store, as kube-apiserver's admission plugins read through its own caches: no
 * request, no authorization, and a missing object is undefined rather than an error built and caught per pod.
 */
export function storeReaders(ctx: ApiContext): { readNamespace: ReadNamespace; readConfigMap: ReadConfigMap } {
  const namespaces = ctx.registry.lookup('', 'v1', 'namespaces')!;
  const configMaps = ctx.registry.lookup('', 'v1', 'configmaps')!;
  return {
    readNamespace: (name) => getObject(ctx.store, namespaces, undefined, name),
    readConfigMap: (namespace, name) => getObject(ctx.store, configMaps, namespace, name),
  };
}
