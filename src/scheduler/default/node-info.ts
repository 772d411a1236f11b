// What the scheduler keeps per node, as kube-scheduler's NodeInfo: the Node, its allocatable, and the pods on it
// (bound or assumed, not finished) with their summed requests, so no filter ever lists pods.
import type { KubeObject } from '../../kube/api/types.js';
import {
  type Allocatable,
  add,
  emptyResources,
  nodeAllocatable,
  podRequests,
  type Resources,
  subtract,
} from './resources.js';

export interface HostPort {
  hostIP: string;
  protocol: string;
  port: number;
}

export interface PodInfo {
  key: string;
  pod: KubeObject;
  requests: Resources;
  nonZero: Resources;
  priority: number;
  hostPorts: HostPort[];
}

export function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

export function podInfo(pod: KubeObject): PodInfo {
  const hostPorts: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c?.ports ?? []) {
      if (p?.hostPort > 0)
        hostPorts.push({ hostIP: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return {
    key: podKey(pod),
    pod,
    requests: podRequests(pod),
    nonZero: podRequests(pod, true),
    priority: typeof pod.spec?.priority === 'number' ? pod.spec.priority : 0,
    hostPorts,
  };
}

export class NodeInfo {
  allocatable: Allocatable;
  requested = emptyResources();
  nonZeroRequested = emptyResources();
  readonly pods = new Map<string, PodInfo>();

  constructor(public node: KubeObject) {
    this.allocatable = nodeAllocatable(node);
  }

  get name(): string {
    return this.node.metadata.name!;
  }

  setNode(node: KubeObject): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
  }

  addPod(info: PodInfo): void {
    this.removePod(info.key);
    this.pods.set(info.key, info);
    this.requested = add(this.requested, info.requests);
    this.nonZeroRequested = add(this.nonZeroRequested, info.nonZero);
  }

  removePod(key: string): PodInfo | undefined {
    const info = this.pods.get(key);
    if (!info) return undefined;
    this.pods.delete(key);
    this.requested = subtract(this.requested, info.requests);
    this.nonZeroRequested = subtract(this.nonZeroRequested, info.nonZero);
    return info;
  }

  /** A copy whose pods can be removed and added without touching this one (preemption's dry runs). */
  clone(): NodeInfo {
    const copy = new NodeInfo(this.node);
    for (const info of this.pods.values()) copy.addPod(info);
    return copy;
  }
}
