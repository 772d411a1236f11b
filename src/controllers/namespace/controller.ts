// The namespace lifecycle controller: watches namespaces and reconciles each terminating one until it is gone,
// re-queueing while its content is still being deleted. Namespaces come from the shared informer.
import { type InformerUse, sharedInformers } from '../../client/factory.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { type ContentResources, reconcileNamespace } from './reconcile.js';

export class NamespaceController {
  private queued = new Set<string>();
  private timers = new Set<NodeJS.Timeout>();
  private readonly namespaces: InformerUse;
  private stopped = false;

  constructor(
    private client: KubeClient,
    private resources: ContentResources,
    private onError: (error: unknown) => void = (error) => console.error('namespace controller:', error),
  ) {
    this.namespaces = sharedInformers(client).handle({ apiVersion: 'v1', kind: 'Namespace' }, (_old, ns) => {
      if (ns) this.observe(ns);
    });
  }

  start(): Promise<void> {
    this.stopped = false;
    return this.namespaces.start();
  }

  stop(): void {
    this.stopped = true;
    this.namespaces.stop();
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
