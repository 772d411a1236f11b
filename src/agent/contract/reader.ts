// What the pod contract reads from the API: ConfigMaps, Secrets, Services, Nodes, and ServiceAccount tokens from
// TokenRequest. The kube-backed reader goes through the agent's KubeClient; tests hand in maps.
import { isNotFound } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';

export interface TokenRequestSpec {
  audiences: string[];
  expirationSeconds: number;
  /** The pod the token is bound to: it is refused once that pod is gone. */
  pod: { name: string; uid: string };
}

export interface IssuedToken {
  token: string;
  /** When the token expires (ms since the epoch). */
  expiresAt: number;
}

export interface ContractReader {
  /** The object, or undefined when it does not exist (other errors are thrown). */
  configMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  secret(namespace: string, name: string): Promise<KubeObject | undefined>;
  services(namespace: string): Promise<KubeObject[]>;
  service(namespace: string, name: string): Promise<KubeObject | undefined>;
  node(name: string): Promise<KubeObject | undefined>;
  persistentVolumeClaim(namespace: string, name: string): Promise<KubeObject | undefined>;
  persistentVolume(name: string): Promise<KubeObject | undefined>;
  /** A token for the ServiceAccount from its `token` subresource (TokenRequest). */
  token(namespace: string, serviceAccount: string, spec: TokenRequestSpec): Promise<IssuedToken>;
}

export function kubeContractReader(client: KubeClient): ContractReader {
  const get = async (kind: string, namespace: string | undefined, name: string) => {
    try {
      return await client.get<KubeObject>({ apiVersion: 'v1', kind, namespace }, name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  return {
    configMap: (namespace, name) => get('ConfigMap', namespace, name),
    secret: (namespace, name) => get('Secret', namespace, name),
    service: (namespace, name) => get('Service', namespace, name),
    node: (name) => get('Node', undefined, name),
    persistentVolumeClaim: (namespace, name) => get('PersistentVolumeClaim', namespace, name),
    persistentVolume: (name) => get('PersistentVolume', undefined, name),
    services: async (namespace) =>
      (await client.list<KubeObject>({ apiVersion: 'v1', kind: 'Service', namespace })).items,
    async token(namespace, serviceAccount, spec) {
      const answer = await client.createSubresource<KubeObject>(
        { apiVersion: 'v1', kind: 'ServiceAccount', namespace },
        serviceAccount,
        'token',
        {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          metadata: { name: serviceAccount, namespace },
          spec: {
            audiences: spec.audiences,
            expirationSeconds: spec.expirationSeconds,
            boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: spec.pod.name, uid: spec.pod.uid },
          },
        },
      );
      return { token: answer.status.token, expiresAt: Date.parse(answer.status.expirationTimestamp) };
    },
  };
}

/** The reader with ConfigMap and Secret reads shared for its lifetime (one refresh pass over every pod). */
export function memoReader(reader: ContractReader): ContractReader {
  const seen = new Map<string, Promise<KubeObject | undefined>>();
  const once = (key: string, read: () => Promise<KubeObject | undefined>) => {
    let value = seen.get(key);
    if (!value) {
      value = read();
      seen.set(key, value);
    }
    return value;
  };
  return {
    ...reader,
    configMap: (namespace, name) => once(`cm/${namespace}/${name}`, () => reader.configMap(namespace, name)),
    secret: (namespace, name) => once(`secret/${namespace}/${name}`, () => reader.secret(namespace, name)),
  };
}
