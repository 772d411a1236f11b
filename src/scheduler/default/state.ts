// The scheduler's picture of the cluster, fed by informers and by its own assumptions: every node's NodeInfo with
// the pods bound (or about to be bound) to it, pods bound to nodes not seen yet, and pending pods nominated to a node
// by preemption. Finished pods take no room.
import type { KubeObject } from '../../kube/api/types.js';
import { NodeInfo, type PodInfo, podInfo, podKey } from './node-info.js';

const isFinished = (pod: KubeObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export class ClusterState {
  readonly nodes = new Map<string, NodeInfo>();
  /** Pod key → the node it occupies (bound or assumed). */
  private readonly placement = new Map<string, string>();
  /** Pods bound to a node the scheduler has not seen (yet), by node name. */
  private readonly homeless = new Map<string, Map<string, PodInfo>>();
  /** Pending pods with status.nominatedNodeName, by node name. */
  private readonly nominated = new Map<string, Map<string, PodInfo>>();
  private readonly nominatedNode = new Map<string, string>();
  private readonly assumed = new Set<string>();

  setNode(node: KubeObject): void {
    const name = node.metadata.name!;
    const info = this.nodes.get(name);
    if (info) {
      info.setNode(node);
      return;
    }
    const fresh = new NodeInfo(node);
    for (const p of this.homeless.get(name)?.values() ?? []) fresh.addPod(p);
    this.homeless.delete(name);
    this.nodes.set(name, fresh);
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    this.nodes.delete(name);
    if (info.pods.size > 0) this.homeless.set(name, new Map(info.pods));
  }

  /** Records the pod as it now is; returns whether room was freed on a node (it went away or finished). */
  setPod(pod: KubeObject): boolean {
    const key = podKey(pod);
    this.setNominated(key, pod);
    const node: string | undefined = pod.spec?.nodeName;
    if (!node) return this.assumed.has(key) ? false : this.unplace(key);
    if (isFinished(pod)) return this.unplace(key);
    this.assumed.delete(key);
    this.place(podInfo(pod), node);
    return false;
  }

  /** Forgets the pod; returns whether it held room on a node. */
  removePod(key: string): boolean {
    this.assumed.delete(key);
    this.setNominated(key, undefined);
    return this.unplace(key);
  }

  /** Counts the pod on `node` before its binding is confirmed, so the next pod sees the room it takes. */
  assume(info: PodInfo, node: string): void {
    this.assumed.add(info.key);
    this.place(info, node);
  }

  isAssumed(key: string): boolean {
    return this.assumed.has(key);
  }

  /** Undoes an assumption whose binding failed. */
  forget(key: string): void {
    if (!this.assumed.has(key)) return;
    this.assumed.delete(key);
    this.unplace(key);
  }

  /** Pods nominated to `node` that come before `pod` (priority at least as high), for its filters. */
  nominatedFor(node: string, pod: PodInfo): PodInfo[] {
    return [...(this.nominated.get(node)?.values() ?? [])].filter(
      (p) => p.key !== pod.key && p.priority >= pod.priority,
    );
  }

  private unplace(key: string): boolean {
    const node = this.placement.get(key);
    if (node === undefined) return false;
    this.placement.delete(key);
    this.nodes.get(node)?.removePod(key);
    const waiting = this.homeless.get(node);
    waiting?.delete(key);
    if (waiting?.size === 0) this.homeless.delete(node);
    return true;
  }

  private place(info: PodInfo, node: string): void {
    const previous = this.placement.get(info.key);
    if (previous !== undefined && previous !== node) this.unplace(info.key);
    this.placement.set(info.key, node);
    const nodeInfo = this.nodes.get(node);
    if (nodeInfo) nodeInfo.addPod(info);
    else {
      const waiting = this.homeless.get(node) ?? new Map<string, PodInfo>();
      waiting.set(info.key, info);
      this.homeless.set(node, waiting);
    }
  }

  private setNominated(key: string, pod: KubeObject | undefined): void {
    const old = this.nominatedNode.get(key);
    if (old !== undefined) {
      this.nominated.get(old)?.delete(key);
      this.nominatedNode.delete(key);
    }
    const node: string | undefined = pod?.status?.nominatedNodeName;
    if (!pod || !node || pod.spec?.nodeName || pod.metadata.deletionTimestamp || isFinished(pod)) return;
    const map = this.nominated.get(node) ?? new Map<string, PodInfo>();
    map.set(key, podInfo(pod));
    this.nominated.set(node, map);
    this.nominatedNode.set(key, node);
  }
}
