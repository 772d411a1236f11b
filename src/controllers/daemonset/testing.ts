// Shared fixtures for the DaemonSet tests: node-group-like and Fargate nodes, DaemonSets, and queries of the pods,
// events and status the controller leaves behind.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { affinityNode } from '../../testing/fake-kubelet.js';
import { until } from '../../testing/until.js';

export const ns = 'default';
export const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: ns };
export const dsRef = { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: ns };
export const nodeRef = { apiVersion: 'v1', kind: 'Node' };

export function groupNode(name: string, labels: Record<string, string> = {}, taints: object[] = []): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'eks.amazonaws.com/nodegroup': 'ng-1', 'kubernetes.io/hostname': name, ...labels } },
    spec: { taints },
  };
}

export function fargateNode(ip: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `fargate-ip-${ip.replaceAll('.', '-')}.ap-northeast-2.compute.internal`,
      labels: { 'eks.amazonaws.com/compute-type': 'fargate' },
    },
    spec: { taints: [{ key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' }] },
  };
}

export function daemonSet(
  name: string,
  podSpec: Record<string, unknown> = {},
  spec: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'agent', image: 'fluent-bit:3.0' }], ...podSpec },
      },
      ...spec,
    },
  };
}

export async function livePods(client: KubeClient, name: string): Promise<KubeObject[]> {
  const list = await client.list(podRef, { labelSelector: `app=${name}` });
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}

/** Waits until the DaemonSet's live pods target exactly `nodes` (one each) and returns them. */
export async function podsOn(client: KubeClient, name: string, nodes: string[]): Promise<KubeObject[]> {
  const want = [...nodes].sort().join(',');
  return until(async () => {
    const pods = await livePods(client, name);
    const got = pods.map((p) => p.spec.nodeName || affinityNode(p)).sort();
    return got.join(',') === want && pods;
  }, `${name} pods on ${want}`);
}

export async function statusIs(client: KubeClient, name: string, expected: Record<string, number>) {
  return until(
    async () => {
      const ds = await client.get(dsRef, name);
      return Object.entries(expected).every(([k, v]) => (ds.status?.[k] ?? 0) === v) && ds;
    },
    `${name} status ${JSON.stringify(expected)}`,
  );
}

export async function eventMessages(client: KubeClient, name: string, reason: string): Promise<string[]> {
  const list = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns });
  return list.items
    .filter((e) => e.involvedObject?.name === name && e.involvedObject?.kind === 'DaemonSet' && e.reason === reason)
    .map((e) => e.message)
    .sort();
}
