// Which Fargate node belongs to which pod (one each way): set when fargate-scheduler creates a node or sees a
// pod bound to one, dropped when the node is deleted. A node name is the pod IP, so it may come back for a new pod.
export interface Binding {
  uid: string;
  node: string;
}

export class Bindings {
  private readonly byPod = new Map<string, Binding>();
  private readonly byNode = new Map<string, string>();

  set(podKey: string, uid: string, node: string): void {
    this.delete(podKey);
    this.byPod.set(podKey, { uid, node });
    this.byNode.set(node, podKey);
  }

  get(podKey: string): Binding | undefined {
    return this.byPod.get(podKey);
  }

  delete(podKey: string): void {
    const binding = this.byPod.get(podKey);
    if (!binding) return;
    this.byPod.delete(podKey);
    if (this.byNode.get(binding.node) === podKey) this.byNode.delete(binding.node);
  }

  owns(node: string): boolean {
    return this.byNode.has(node);
  }
}
