// The ownership graph the garbage collector works from, as kube-controller-manager's GC keeps it: every object
// by uid with its owner references, and for every owner uid the uids of its dependents.
import type { KubeObject, OwnerReference } from '../../kube/api/types.js';

export interface Node {
  uid: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  owners: OwnerReference[];
  finalizers: string[];
  deleting: boolean;
}

export class OwnershipGraph {
  private nodes = new Map<string, Node>();
  private dependentsOf = new Map<string, Set<string>>();

  get(uid: string): Node | undefined {
    return this.nodes.get(uid);
  }

  dependents(uid: string): Node[] {
    return [...(this.dependentsOf.get(uid) ?? [])].map((d) => this.nodes.get(d)).filter((n): n is Node => !!n);
  }

  /** Records the object; returns its node. */
  upsert(object: KubeObject): Node {
    const meta = object.metadata;
    this.remove(meta.uid!);
    const node: Node = {
      uid: meta.uid!,
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: meta.namespace,
      name: meta.name!,
      owners: meta.ownerReferences ?? [],
      finalizers: meta.finalizers ?? [],
      deleting: Boolean(meta.deletionTimestamp),
    };
    this.nodes.set(node.uid, node);
    for (const owner of node.owners) {
      const set = this.dependentsOf.get(owner.uid) ?? new Set<string>();
      set.add(node.uid);
      this.dependentsOf.set(owner.uid, set);
    }
    return node;
  }

  remove(uid: string): Node | undefined {
    const node = this.nodes.get(uid);
    if (!node) return undefined;
    this.nodes.delete(uid);
    for (const owner of node.owners) this.dependentsOf.get(owner.uid)?.delete(uid);
    return node;
  }
}
