// An informer: lists a resource, then watches from the list's resourceVersion, keeping a cache by
// namespace/name and telling a handler of every change; it re-lists whenever its watch ends.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient, ResourceRef, Watcher } from '../../kube/client/types.js';

export interface InformerHandler<T extends KubeObject> {
  /** `old` is undefined for an addition; `current` is undefined for a deletion. */
  (old: T | undefined, current: T | undefined): void;
}

export function keyOf(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name}` : name!;
}

export class Informer<T extends KubeObject = KubeObject> {
  readonly cache = new Map<string, T>();
  private watcher?: Watcher;
  private stopped = false;

  constructor(
    private client: KubeClient,
    private ref: ResourceRef,
    private handler: InformerHandler<T>,
    private onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    const list = await this.client.list<T>(this.ref);
    const seen = new Set<string>();
    for (const item of list.items) {
      const key = keyOf(item);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, item);
      if (old?.metadata.resourceVersion !== item.metadata.resourceVersion) this.handler(old, item);
    }
    for (const [key, old] of this.cache) {
      if (seen.has(key)) continue;
      this.cache.delete(key);
      this.handler(old, undefined);
    }
    if (this.stopped) return;
    this.watcher = await this.client.watch<T>(this.ref, { resourceVersion: list.metadata.resourceVersion }, (event) => {
      if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED') return;
      const object = event.object as T;
      const key = keyOf(object);
      const old = this.cache.get(key);
      if (event.type === 'DELETED') {
        this.cache.delete(key);
        this.handler(old ?? object, undefined);
      } else {
        this.cache.set(key, object);
        this.handler(old, object);
      }
    });
    this.watcher.done.then(() => this.restart());
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.close();
  }

  private restart(): void {
    if (this.stopped) return;
    this.start().catch((error) => {
      this.onError(error);
      if (!this.stopped) setTimeout(() => this.restart(), 1000).unref();
    });
  }
}
