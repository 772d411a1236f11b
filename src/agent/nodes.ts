// What the agent reads off a Node it carries: whether it is a Fargate node, its InternalIP (the host IP of its
// pods), and a node-group node's secondary IPs for pods (annotation skiff.io/pod-ips).
import type { KubeObject } from '../kube/api/types.js';

export const podIpsAnnotation = 'skiff.io/pod-ips';

import { isFargateNode } from '../fargate/naming.js';

export { computeTypeLabel } from '../fargate/naming.js';

export interface NodeView {
  name: string;
  uid: string;
  fargate: boolean;
  internalIP?: string;
  podIPs: string[];
}

export function nodeViewOf(node: KubeObject): NodeView {
  const addresses: { type?: string; address?: string }[] = node.status?.addresses ?? [];
  const podIPs = (node.metadata.annotations?.[podIpsAnnotation] ?? '')
    .split(',')
    .map((ip) => ip.trim())
    .filter(Boolean);
  return {
    name: node.metadata.name!,
    uid: node.metadata.uid!,
    fargate: isFargateNode(node),
    internalIP: addresses.find((a) => a.type === 'InternalIP')?.address,
    podIPs,
  };
}
