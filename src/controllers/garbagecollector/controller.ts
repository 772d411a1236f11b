// The garbage collector: informers on every resource (custom resources included, checked every few seconds) feed the ownership graph; each change queues the uids it
// may concern — the object itself, its owners (a foreground deletion waiting on it) and, when it is deleted or
// being deleted, its dependents — and `collect` handles them one at a time.

import { type InformerUse, sharedInformers } from '../../client/factory.js';
import { WorkQueue } from '../../client/queue.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient, ResourceRef } from '../../kube/client/types.js';
import { OwnershipGraph } from './graph.js';
import { collect } from './reconcile.js';

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
    const refs = this.resources();
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
    const node = current ? this.graph.upsert(current) : this.graph.remove(uid);
    this.queue.add(uid);
    for (const owner of node?.owners ?? []) this.queue.add(owner.uid);
    if (!current || current.metadata.deletionTimestamp) {
      for (const dependent of this.graph.dependents(uid)) this.queue.add(dependent.uid);
    }
  }
}
