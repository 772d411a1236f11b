// Test helpers for the endpoints, endpointslice and disruption controllers: nodes and pods written through the
// API, and pod status set through the status subresource as a kubelet would (phase, podIP, Ready condition).
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';

export const nowTimestamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export async function createNode(client: KubeClient, name: string, zone?: string): Promise<KubeObject> {
  return client.create({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} },
  });
}

export interface PodShape {
  namespace?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  hostname?: string;
  subdomain?: string;
  ownerReferences?: KubeObject['metadata']['ownerReferences'];
}

export async function createPod(client: KubeClient, name: string, shape: PodShape = {}): Promise<KubeObject> {
  return client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: shape.namespace ?? 'default',
      labels: shape.labels ?? {},
      ...(shape.ownerReferences ? { ownerReferences: shape.ownerReferences } : {}),
    },
    spec: {
      containers: [{ name: 'app', image: 'nginx', ...(shape.ports ? { ports: shape.ports } : {}) }],
      ...(shape.nodeName ? { nodeName: shape.nodeName } : {}),
      ...(shape.hostname ? { hostname: shape.hostname } : {}),
      ...(shape.subdomain ? { subdomain: shape.subdomain } : {}),
    },
  });
}

/** Writes the status a kubelet reports for a running pod: phase Running, its IP, Ready True or False. */
export async function setPodRunning(
  client: KubeClient,
  name: string,
  ip: string,
  ready: boolean,
  namespace = 'default',
): Promise<KubeObject> {
  const pod = await client.get({ apiVersion: 'v1', kind: 'Pod', namespace }, name);
  const previous = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  const status = ready ? 'True' : 'False';
  const since = previous?.status === status ? previous.lastTransitionTime : nowTimestamp();
  pod.status = {
    ...pod.status,
    phase: 'Running',
    podIP: ip,
    podIPs: [{ ip }],
    hostIP: ip,
    conditions: [
      { type: 'Ready', status, lastProbeTime: null, lastTransitionTime: since },
      { type: 'ContainersReady', status, lastProbeTime: null, lastTransitionTime: since },
    ],
  };
  return client.update(pod, { subresource: 'status' });
}
