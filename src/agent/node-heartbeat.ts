// Heartbeats of the nodes this host carries: a Lease in kube-node-lease named like the node (owned by it), renewed
// every 10 s, and the node's kubelet conditions with a fresh lastHeartbeatTime (every nodeStatusMs; Ready made True
// again if something else marked it otherwise), and the nodeInfo of what really runs its pods (node-info.ts).
// Renewals are spread over the interval and bounded in number; a node's first beats go ahead of other nodes'
// renewals (its startup grace runs from its creation), and a beat still waiting when the next is due is not queued
// twice, so an API that falls behind sees at most one pending lease renewal and one status per node. A status beat
// that would change nothing (the node's status already says it, this second) makes no request.
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient } from '../kube/client/types.js';
import { apiTime } from './clock.js';
import { LeaseKeeper } from './lease.js';
import { Limiter } from './limiter.js';
import { type NodeRuntimeInfo, nodeInfoChanges } from './node-info.js';

export interface HeartbeatIntervals {
  nodeLeaseRenewMs: number;
  nodeStatusMs: number;
}

interface Beating {
  timers: NodeJS.Timeout[];
  keeper: LeaseKeeper;
}

const kubeletConditionText: Record<string, [string, string, string]> = {
  MemoryPressure: ['False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  DiskPressure: ['False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  PIDPressure: ['False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  Ready: ['True', 'KubeletReady', 'kubelet is posting ready status'],
};

/**
 * The node's conditions with this heartbeat: the kubelet's four fresh, others untouched. `readyNote` (what the host
 * caps) follows the Ready message as the kubelet appends its own notes ("kubelet is posting ready status. …").
 */
export function heartbeatConditions(existing: any[] = [], now = apiTime(), readyNote?: string): any[] {
  const result = existing.map((c) => ({ ...c }));
  for (const [type, [status, reason, text]] of Object.entries(kubeletConditionText)) {
    const message = type === 'Ready' && readyNote ? `${text}. ${readyNote}` : text;
    const current = result.find((c) => c.type === type);
    if (!current) {
      result.push({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now });
    } else if (current.status !== status) {
      Object.assign(current, { status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now });
    } else Object.assign(current, { message, lastHeartbeatTime: now });
  }
  return result;
}

export class NodeHeartbeats {
  private beating = new Map<string, Beating>();
  private limiter = new Limiter(16);
  /** Beats queued and not yet started, as `lease:<node>` and `status:<node>`. */
  private waiting = new Set<string>();

  constructor(
    private client: KubeClient,
    private intervals: HeartbeatIntervals,
    private current: (name: string) => KubeObject | undefined,
    private onError: (error: unknown) => void,
    private nodeInfo?: NodeRuntimeInfo | ((node: KubeObject) => NodeRuntimeInfo | undefined),
    private readyNote?: string,
  ) {}

  add(node: KubeObject): void {
    const name = node.metadata.name!;
    if (this.beating.has(name)) return;
    const owner = { apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid! };
    const keeper = new LeaseKeeper(this.client, () => ({
      namespace: 'kube-node-lease',
      name,
      holderIdentity: name,
      ownerReferences: [owner],
    }));
    const beating: Beating = { timers: [], keeper };
    this.beating.set(name, beating);
    const lease = (first = false) => this.beat(`lease:${name}`, name, () => keeper.renew(), first);
    const status = (first = false) => this.beat(`status:${name}`, name, () => this.postStatus(name), first);
    lease(true);
    status(true);
    this.every(beating, this.intervals.nodeLeaseRenewMs, () => lease());
    this.every(beating, this.intervals.nodeStatusMs, () => status());
  }

  /** Stops the node's heartbeats; a deleted node's Lease goes too (the garbage collector would get to it later). */
  remove(name: string, deleted = false): void {
    const beating = this.beating.get(name);
    if (!beating) return;
    for (const timer of beating.timers) clearTimeout(timer);
    beating.keeper.stop();
    this.beating.delete(name);
    if (!deleted) return;
    const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'kube-node-lease' };
    this.limiter
      .run(() => this.client.delete(ref, name))
      .catch((error) => {
        if (error?.code !== 404 && error?.code !== 409) this.onError(error);
      });
  }

  stop(): void {
    for (const name of [...this.beating.keys()]) this.remove(name);
  }

  /** Queues one beat of the node, unless the same beat is already waiting its turn. */
  private beat(id: string, name: string, write: () => Promise<unknown>, first: boolean): void {
    if (this.waiting.has(id)) return;
    this.waiting.add(id);
    const started = () => {
      this.waiting.delete(id);
      return write();
    };
    this.limiter.run(started, first).catch((error) => this.failed(name, error));
  }

  /** Repeats `action` every `ms`, the first after a random part of it so many nodes spread out. */
  private every(beating: Beating, ms: number, action: () => void): void {
    const first = setTimeout(
      () => {
        action();
        const timer = setInterval(action, ms);
        timer.unref?.();
        beating.timers.push(timer);
      },
      Math.floor(Math.random() * ms),
    );
    first.unref?.();
    beating.timers.push(first);
  }

  private failed(name: string, error: any): void {
    if (!this.beating.has(name) || error?.code === 404) return;
    this.onError(error);
  }

  private async postStatus(name: string): Promise<void> {
    const node = this.current(name);
    if (!node || !this.beating.has(name)) return;
    const status: Record<string, unknown> = {
      conditions: heartbeatConditions(node.status?.conditions, apiTime(), this.readyNote),
    };
    if (!node.status?.daemonEndpoints) status.daemonEndpoints = { kubeletEndpoint: { Port: 10250 } };
    const wanted = typeof this.nodeInfo === 'function' ? this.nodeInfo(node) : this.nodeInfo;
    const nodeInfo = nodeInfoChanges(node.status?.nodeInfo, wanted);
    if (nodeInfo) status.nodeInfo = nodeInfo;
    // A beat in the second the node's status was last written (a node registered just now) changes nothing: the
    // API would find the same object, so no request is made.
    if (
      Object.keys(status).length === 1 &&
      JSON.stringify(status.conditions) === JSON.stringify(node.status?.conditions)
    )
      return;
    await this.client.patch({ apiVersion: 'v1', kind: 'Node' }, name, { status }, 'merge', { subresource: 'status' });
  }
}
