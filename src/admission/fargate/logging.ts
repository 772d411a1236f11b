// The Logging annotation of a captured pod (reference §6.2): `LoggingEnabled` when the namespace
// `aws-observability`, labelled `aws-observability: enabled`, holds the ConfigMap `aws-logging`; else disabled.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';

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

async function orUndefined(read: Promise<KubeObject>): Promise<KubeObject | undefined> {
  try {
    return await read;
  } catch (error: any) {
    if (error?.code === 404) return undefined;
    throw error;
  }
}

/** Readers over a kube client (reads run no admission, so an in-process client is safe inside admission). */
export function clientReaders(client: KubeClient): { readNamespace: ReadNamespace; readConfigMap: ReadConfigMap } {
  return {
    readNamespace: (name) => orUndefined(client.get({ apiVersion: 'v1', kind: 'Namespace' }, name)),
    readConfigMap: (namespace, name) =>
      orUndefined(client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace }, name)),
  };
}
