// The garbage collector: informers on every resource feed the ownership graph; each change queues the uids it
// may concern — the object itself, its owners (a foreground deletion waiting on it) and, when it is deleted or
// being deleted, its dependents — and `collect` handles them one at a time.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient, ResourceRef } from '../../kube/client/types.js';
import { Informer } from '../runtime/informer.js';
import { WorkQueue } from '../runtime/queue.js';
import { OwnershipGraph } from './graph.js';
import { collect } from './reconcile.js';

export class GarbageCollector {
  readonly graph = new OwnershipGraph();
  private informers: Informer[] = [];
  private queue: WorkQueue;

  constructor(
    private client: KubeClient,
    private resources: () => Omit<ResourceRef, 'namespace'>[],
    private onError: (error: unknown) => void = (error) => console.error('garbage collector:', error),
  ) {
    this.queue = new WorkQueue(
      (uid) => collect(this.client, this.graph, uid),
      (_uid, error) => this.onError(error),
      2,
    );
  }

  async start(): Promise<void> {
    for (const ref of this.resources()) {
      const informer = new Informer(this.client, ref, (old, current) => this.observe(old, current), this.onError);
      this.informers.push(informer);
      await informer.start();
    }
  }

  stop(): void {
    for (const informer of this.informers) informer.stop();
    this.queue.stop();
  }

  private observe(old: KubeObject | undefined, current: KubeObject | undefined): void {
    const object = current ?? old!;
    const uid = object.metadata.uid!;
    const node = current ? this.graph.upsert(current) : this.graph.remove(uid);
    this.queue.add(uid);
    for (const owner of node?.owners ?? []) this.queue.add(owner.uid);
    if (!current || current.metadata.deletionTimestamp) {
      for (const dependent of this.graph.dependents(uid)) this.queue.add(dependent.uid);
    }
  }
}
