// A ContractReader over plain maps, and a SandboxPod builder, for the pod contract's unit tests.
import type { KubeObject } from '../../kube/api/types.js';
import type { SandboxPod } from '../driver.js';
import type { ContractReader, TokenRequestSpec } from './reader.js';

export interface FakeObjects {
  configMaps?: Record<string, Record<string, string>>;
  secrets?: Record<string, Record<string, string>>;
  services?: KubeObject[];
  allocatable?: Record<string, string>;
}

export function fakeReader(objects: FakeObjects, tokens: TokenRequestSpec[] = []): ContractReader {
  const object = (kind: string, namespace: string, name: string, data: Record<string, string>) => ({
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace },
    data,
  });
  return {
    configMap: async (ns, name) => {
      const data = objects.configMaps?.[name];
      return data ? object('ConfigMap', ns, name, data) : undefined;
    },
    secret: async (ns, name) => {
      const data = objects.secrets?.[name];
      if (!data) return undefined;
      const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
      return object('Secret', ns, name, encoded);
    },
    services: async (ns) => (objects.services ?? []).filter((s) => s.metadata.namespace === ns),
    service: async (ns, name) =>
      (objects.services ?? []).find((s) => s.metadata.namespace === ns && s.metadata.name === name),
    node: async (name) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name },
      status: { allocatable: objects.allocatable ?? {} },
    }),
    persistentVolumeClaim: async () => undefined,
    persistentVolume: async () => undefined,
    token: async (_ns, sa, spec) => {
      tokens.push(spec);
      return { token: `token-${sa}-${tokens.length}`, expiresAt: Date.now() + spec.expirationSeconds * 1000 };
    },
  };
}

export function service(namespace: string, name: string, clusterIP: string, ports: any[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { clusterIP, ports } };
}

export function sandboxPod(spec: any, meta: Partial<KubeObject['metadata']> = {}): SandboxPod {
  const metadata = { name: 'web', namespace: 'shop', uid: 'uid-1', ...meta };
  return {
    uid: metadata.uid!,
    name: metadata.name!,
    namespace: metadata.namespace!,
    nodeName: 'node-a',
    fargate: false,
    podIP: '10.0.1.7',
    hostIP: '10.0.1.2',
    pod: { apiVersion: 'v1', kind: 'Pod', metadata, spec },
  };
}
