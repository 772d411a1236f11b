// Pod IPs: a Fargate pod takes its node's InternalIP; a pod on a node-group node takes the first of the node's
// skiff.io/pod-ips not held by another non-terminated pod there (VPC CNI's secondary IPs); hostNetwork pods take
// the node's IP. Assignments live until the pod finishes or goes.
import type { KubeObject } from '../kube/api/types.js';
import type { NodeView } from './nodes.js';

const terminated = (pod: KubeObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export class PodIps {
  private assigned = new Map<string, { node: string; ip: string }>();
  private waiting = new Map<string, Set<() => void>>();

  /** Calls `retry` once, the next time an address on `node` is released. */
  whenReleased(node: string, retry: () => void): void {
    let set = this.waiting.get(node);
    if (!set) {
      set = new Set();
      this.waiting.set(node, set);
    }
    set.add(retry);
  }

  /** The pod's IP on `node`, or undefined when every address is taken. `others`: the pods bound to the node. */
  assign(node: NodeView, pod: KubeObject, others: Iterable<KubeObject>): string | undefined {
    const uid = pod.metadata.uid!;
    const held = this.assigned.get(uid);
    if (held?.node === node.name) return held.ip;
    let ip: string | undefined;
    if (node.fargate || pod.spec?.hostNetwork) ip = node.internalIP;
    else {
      const used = new Set<string>();
      for (const [owner, a] of this.assigned) if (a.node === node.name && owner !== uid) used.add(a.ip);
      for (const other of others) {
        if (other.metadata.uid === uid || terminated(other) || !other.status?.podIP) continue;
        if (other.spec?.hostNetwork) continue;
        used.add(other.status.podIP);
      }
      const previous = pod.status?.podIP;
      ip = previous && node.podIPs.includes(previous) && !used.has(previous) ? previous : undefined;
      ip ??= node.podIPs.find((candidate) => !used.has(candidate));
    }
    if (ip && !node.fargate && !pod.spec?.hostNetwork) this.assigned.set(uid, { node: node.name, ip });
    return ip;
  }

  release(uid: string): void {
    const held = this.assigned.get(uid);
    if (!held) return;
    this.assigned.delete(uid);
    const retries = this.waiting.get(held.node);
    this.waiting.delete(held.node);
    for (const retry of retries ?? []) retry();
  }
}
