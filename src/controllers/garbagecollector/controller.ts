// The garbage collector: informers on every resource but Events (custom resources included, checked every few
// seconds; Events are kube-controller-manager's default ignored resources) feed the ownership graph. As its graph
// builder does, a change queues only the uids it may concern: the object when it is being deleted, or when it names
// owners the graph does not hold (new owner references, or owners not seen yet: `collect` reads them live); its
// owners when they are being deleted (a foreground deletion waiting on it); and, when it is deleted or being
// deleted, its dependents. A change to an object whose owners are all known queues nothing.

import { type InformerUse, sharedInformers } from '../../client/factory.js';
import { WorkQueue } from '../../client/queue.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient, ResourceRef } from '../../kube/client/types.js';
import { type Node, OwnershipGraph } from './graph.js';
import { collect } from './reconcile.js';

/** Resources the collector never tracks, as kube-controller-manager's DefaultIgnoredResources. */
export const ignoredResources = [
  { apiVersion: 'v1', kind: 'Event' },
  { apiVersion: 'events.k8s.io/v1', kind: 'Event' },
];
const ignored = new Set(ignoredResources.map((r) => `${r.apiVersion}/${r.kind}`));

const ownerUids = (node: Node) => node.owners.map((o) => o.uid).join(',');

export class GarbageCollector {
  readonly graph = new OwnershipGraph();
  private informers = new Map<string, InformerUse>();
  private refresh?: NodeJS.Timeout;
  private queue: WorkQueue;

  constructor(
    private client: KubeClient,
    private resources: () => Omit<ResourceRef, 'namespace'>[],
    private onError: (error: unknown) => void = (error) => console.error('garbage collector:', error),
  ) {
    this.queue = new WorkQueue(
      (uid) => collect(this.client, this.graph, uid),
      (_uid, error) => this.onError(error),
      { workers: 2, component: 'garbage-collector-controller' },
    );
  }

  async start(): Promise<void> {
    await this.watchNewResources();
    this.refresh = setInterval(() => this.watchNewResources().catch(this.onError), 5_000);
    this.refresh.unref();
  }

  stop(): void {
    clearInterval(this.refresh);
    for (const informer of this.informers.values()) informer.stop();
    this.queue.stop();
  }

  /** Tracks the resources served now: custom resources come and go with their CRDs. */
  private async watchNewResources(): Promise<void> {
    const refs = this.resources().filter((ref) => !ignored.has(`${ref.apiVersion}/${ref.kind}`));
    const current = new Set(refs.map((ref) => `${ref.apiVersion}/${ref.kind}`));
    for (const [key, informer] of this.informers) {
      if (current.has(key)) continue;
      informer.stop();
      this.informers.delete(key);
    }
    for (const ref of refs) {
      const key = `${ref.apiVersion}/${ref.kind}`;
      if (this.informers.has(key)) continue;
      const informer = sharedInformers(this.client).handle(ref, (old, current) => this.observe(old, current));
      this.informers.set(key, informer);
      await informer.start();
    }
  }

  private observe(old: KubeObject | undefined, current: KubeObject | undefined): void {
    const object = current ?? old!;
    const uid = object.metadata.uid!;
    const before = this.graph.get(uid);
    const node = current ? this.graph.upsert(current) : this.graph.remove(uid);
    if (node && this.worthCollecting(before, node)) this.queue.add(uid);
    for (const owner of node?.owners ?? []) {
      if (this.graph.get(owner.uid)?.deleting) this.queue.add(owner.uid);
    }
    if (!current || current.metadata.deletionTimestamp) {
      for (const dependent of this.graph.dependents(uid)) this.queue.add(dependent.uid);
    }
  }

  /** Whether `collect` may have work for the object as it now is (it was `before`). */
  private worthCollecting(before: Node | undefined, node: Node): boolean {
    if (node.deleting) return true;
    if (node.owners.length === 0) return false;
    if (before && ownerUids(before) === ownerUids(node)) return false;
    return node.owners.some((owner) => !this.graph.get(owner.uid));
  }
}
