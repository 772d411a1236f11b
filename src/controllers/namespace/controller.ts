// The namespace lifecycle controller: watches namespaces and reconciles each terminating one until it is gone,
// re-queueing while its content is still being deleted. Re-lists and re-watches whenever its watch ends.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient, Watcher } from '../../kube/client/types.js';
import { type ContentResources, reconcileNamespace } from './reconcile.js';

export class NamespaceController {
  private queued = new Set<string>();
  private timers = new Set<NodeJS.Timeout>();
  private watcher?: Watcher;
  private stopped = false;

  constructor(
    private client: KubeClient,
    private resources: ContentResources,
    private onError: (error: unknown) => void = (error) => console.error('namespace controller:', error),
  ) {}

  async start(): Promise<void> {
    const ref = { apiVersion: 'v1', kind: 'Namespace' };
    const list = await this.client.list(ref);
    for (const ns of list.items) this.observe(ns);
    this.watcher = await this.client.watch(ref, { resourceVersion: list.metadata.resourceVersion }, (event) => {
      if (event.type === 'ADDED' || event.type === 'MODIFIED') this.observe(event.object as KubeObject);
    });
    this.watcher.done.then(() => {
      if (!this.stopped) this.start().catch(this.onError);
    });
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    for (const timer of this.timers) clearTimeout(timer);
  }

  private observe(ns: KubeObject): void {
    if (ns.metadata.deletionTimestamp) this.enqueue(ns.metadata.name!, 0);
  }

  private enqueue(name: string, delayMs: number): void {
    if (this.queued.has(name) || this.stopped) return;
    this.queued.add(name);
    const timer = setTimeout(async () => {
      this.timers.delete(timer);
      this.queued.delete(name);
      try {
        const result = await reconcileNamespace(this.client, this.resources, name);
        if (result.requeueAfterMs !== undefined) this.enqueue(name, result.requeueAfterMs);
      } catch (error) {
        this.onError(error);
        this.enqueue(name, 1000);
      }
    }, delayMs);
    this.timers.add(timer);
  }
}
