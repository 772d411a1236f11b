// default-scheduler: takes pending pods whose schedulerName is default-scheduler (or empty) off a priority queue one
// at a time, filters every node against the in-memory cluster state, scores the feasible ones, assumes the best and
// binds in the background; a pod that fits nowhere is reported (and may preempt) and waits for the cluster to change.
import { type InformerUse, sharedInformers } from '../../client/factory.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { type FilterStatus, runFilters } from './filters.js';
import { fitErrorMessage, noNodesAvailable } from './messages.js';
import { type NodeInfo, type PodInfo, podInfo, podKey } from './node-info.js';
import { preempt } from './preemption.js';
import { SchedulingQueue } from './queue.js';
import { component, Reporter } from './report.js';
import { scoreNodes, selectHost } from './score.js';
import { ClusterState } from './state.js';

export interface DefaultSchedulerOptions {
  client: KubeClient;
  onError?: (error: unknown) => void;
  /** For ties between equally scored nodes. */
  random?: () => number;
  /** Bindings in flight at once. */
  bindConcurrency?: number;
}

export const schedulerName = component;

export function isResponsible(pod: KubeObject): boolean {
  const name = pod.spec?.schedulerName;
  return (
    (!name || name === schedulerName) &&
    !pod.spec?.nodeName &&
    !pod.metadata.deletionTimestamp &&
    pod.status?.phase !== 'Succeeded' &&
    pod.status?.phase !== 'Failed' &&
    !(pod.spec?.schedulingGates?.length > 0)
  );
}

/** What in a Node matters for fitting pods; heartbeats alone do not requeue anything. */
function nodeShape(node: KubeObject): string {
  const ready = (node.status?.conditions ?? []).find((c: any) => c?.type === 'Ready')?.status;
  const { labels } = node.metadata;
  return JSON.stringify([labels, node.spec?.taints, node.spec?.unschedulable, node.status?.allocatable, ready]);
}

/** What in a pending pod matters for scheduling; the scheduler's own status writes do not count. */
function podShape(pod: KubeObject): string {
  return JSON.stringify([pod.metadata.labels, pod.metadata.annotations, pod.spec]);
}

export class DefaultScheduler {
  readonly state = new ClusterState();
  readonly queue = new SchedulingQueue();
  private readonly nodes: InformerUse;
  private readonly pods: InformerUse;
  private readonly reporter: Reporter;
  private readonly onError: (error: unknown) => void;
  private readonly binding = new Set<Promise<void>>();
  private loop?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: DefaultSchedulerOptions) {
    this.onError = options.onError ?? ((error) => console.error('default-scheduler:', error));
    this.reporter = new Reporter(options.client, this.onError);
    const informers = sharedInformers(options.client);
    this.nodes = informers.handle({ apiVersion: 'v1', kind: 'Node' }, (o, n) => this.nodeChanged(o, n));
    this.pods = informers.handle({ apiVersion: 'v1', kind: 'Pod' }, (o, p) => this.podChanged(o, p));
  }

  async start(): Promise<void> {
    await this.nodes.start();
    await this.pods.start();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.nodes.stop();
    this.pods.stop();
    this.queue.stop();
    await this.loop;
    await Promise.allSettled([...this.binding]);
  }

  private nodeChanged(old: KubeObject | undefined, node: KubeObject | undefined): void {
    if (!node) {
      this.state.removeNode(old!.metadata.name!);
      return;
    }
    this.state.setNode(node);
    if (!old || nodeShape(old) !== nodeShape(node)) this.queue.moveAllUnschedulable();
  }

  private podChanged(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    const key = podKey((pod ?? old)!);
    if (!pod) {
      this.queue.delete(key);
      this.reporter.forget(old!.metadata.uid!);
      if (this.state.removePod(key)) this.queue.moveAllUnschedulable();
      return;
    }
    if (this.state.setPod(pod)) this.queue.moveAllUnschedulable();
    if (isResponsible(pod)) {
      if (this.state.isAssumed(key)) return;
      if (!this.queue.has(key) || !old || podShape(old) !== podShape(pod)) this.queue.add(key, podInfo(pod).priority);
    } else if (this.queue.has(key)) {
      this.queue.delete(key);
    }
  }

  private async run(): Promise<void> {
    for (;;) {
      const key = await this.queue.pop();
      if (key === undefined || this.stopped) return;
      const pod = this.pods.cache.get(key);
      if (!pod || !isResponsible(pod)) {
        this.queue.done(key);
        continue;
      }
      try {
        await this.scheduleOne(pod);
      } catch (error) {
        this.onError(error);
        this.queue.failed(key, false);
      }
    }
  }

  /** The nodes as this pod sees them: with the pods preemption nominated there ahead of it. */
  private viewFor(pod: PodInfo, node: NodeInfo): NodeInfo {
    const nominated = this.state.nominatedFor(node.name, pod);
    if (nominated.length === 0) return node;
    const view = node.clone();
    for (const p of nominated) view.addPod(p);
    return view;
  }

  private async scheduleOne(pod: KubeObject): Promise<void> {
    const key = podKey(pod);
    const info = podInfo(pod);
    const nodes = [...this.state.nodes.values()];
    if (nodes.length === 0) {
      this.queue.failed(key);
      await this.reporter.unschedulable(pod, noNodesAvailable);
      return;
    }
    const statuses = new Map<string, FilterStatus>();
    const feasible: NodeInfo[] = [];
    for (const node of nodes) {
      const status = runFilters(info, this.viewFor(info, node));
      if (status) statuses.set(node.name, status);
      else feasible.push(node);
    }
    if (feasible.length === 0) {
      await this.unschedulable(pod, info, nodes, statuses);
      return;
    }
    const chosen = feasible[selectHost(scoreNodes(info, feasible), this.options.random)];
    this.state.assume(info, chosen.name);
    await this.bindSlot();
    const bind = this.bind(pod, chosen.name).finally(() => this.binding.delete(bind));
    this.binding.add(bind);
  }

  private async unschedulable(pod: KubeObject, info: PodInfo, nodes: NodeInfo[], statuses: Map<string, FilterStatus>) {
    const key = podKey(pod);
    const result = preempt(info, nodes, statuses);
    const reasons = nodes.map((n) => statuses.get(n.name)!.reasons);
    const message = fitErrorMessage(nodes.length, reasons, 'message' in result ? result.message : undefined);
    this.queue.failed(key);
    await this.reporter.unschedulable(pod, message);
    if ('node' in result) {
      await this.reporter.nominate(pod, result.node).catch(this.onError);
      for (const victim of result.victims) {
        await this.reporter.preempted(victim.pod, pod, result.node).catch(this.onError);
      }
    }
  }

  private async bindSlot(): Promise<void> {
    const limit = this.options.bindConcurrency ?? 16;
    while (this.binding.size >= limit) await Promise.race(this.binding);
  }

  private async bind(pod: KubeObject, node: string): Promise<void> {
    const key = podKey(pod);
    const { namespace, name } = pod.metadata;
    try {
      await this.options.client.createSubresource({ apiVersion: 'v1', kind: 'Pod', namespace }, name!, 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace, uid: pod.metadata.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
    } catch (error: any) {
      this.state.forget(key);
      if (error?.code === 404 || error?.code === 409) {
        this.queue.done(key);
        return;
      }
      this.onError(error);
      this.queue.failed(key, false);
      return;
    }
    this.queue.done(key);
    await this.reporter.scheduled(pod, node);
  }
}
