// An informer (client-go's SharedIndexInformer): lists a resource — or a slice of it by label and field selector —
// then watches from the list's resourceVersion, keeping an indexed cache by namespace/name and telling each of its
// handlers of every change; it re-lists whenever its watch ends. One informer serves every component that starts it
// (counted: the last `stop` ends the watch); a handler added to a synced informer first hears the cache as additions.
// Cached objects are shared between handlers and components: read them, never change them in place.
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient, ResourceRef, Watcher } from '../kube/client/types.js';
import { Indexer } from './indexer.js';
import { Lister } from './lister.js';

/** `old` is undefined for an addition; `current` is undefined for a deletion. */
export type InformerHandler<T extends KubeObject> = (old: T | undefined, current: T | undefined) => void;

/** The slice of a resource an informer watches. */
export interface InformerSelector {
  labelSelector?: string;
  fieldSelector?: string;
}

export function keyOf(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name}` : name!;
}

const relistDelayMs = 1000;
const listPageSize = 500;

export class Informer<T extends KubeObject = KubeObject> {
  readonly cache = new Indexer<T>();
  readonly lister = new Lister<T>(this.cache);
  private readonly handlers = new Set<InformerHandler<T>>();
  private watcher?: Watcher;
  protected users = 0;
  private synced?: Promise<void>;
  protected hasSynced = false;
  protected stopped = false;
  private lastFailure?: unknown;

  /** `handler`, when given, is added at once (an informer of one's own); `onError` hears failed re-lists. */
  constructor(
    private readonly client: KubeClient,
    readonly ref: ResourceRef,
    handler?: InformerHandler<T>,
    private readonly onError: (error: unknown) => void = (error) => console.error('informer:', error),
    readonly selector: InformerSelector = {},
  ) {
    if (handler) this.handlers.add(handler);
  }

  /** Hears every change from now on; when the cache is already synced, first hears each cached object as added. */
  addHandler(handler: InformerHandler<T>): () => void {
    this.handlers.add(handler);
    if (this.hasSynced) for (const object of [...this.cache.values()]) handler(undefined, object);
    return () => this.handlers.delete(handler);
  }

  /** Starts the list and watch for the first user; resolves once the cache holds the first list. */
  start(): Promise<void> {
    this.users++;
    this.stopped = false;
    if (!this.synced) {
      this.synced = this.run().catch((error) => {
        this.synced = undefined;
        throw error;
      });
    }
    return this.synced.catch((error) => {
      if (this.users > 0) this.users--;
      throw error;
    });
  }

  /** Ends the watch once every user that started the informer has stopped it. */
  stop(): void {
    if (this.users > 0) this.users--;
    if (this.users > 0) return;
    this.stopped = true;
    this.synced = undefined;
    this.hasSynced = false;
    this.watcher?.close();
    this.watcher = undefined;
  }

  get running(): boolean {
    return !this.stopped && this.users > 0;
  }

  /** Why the last re-list failed, while the informer has not listed again (its cache may be stale). */
  get failure(): unknown {
    return this.lastFailure;
  }

  protected notify(old: T | undefined, current: T | undefined): void {
    for (const handler of this.handlers) handler(old, current);
  }

  /**
   * The whole resource at one revision, in pages of 500 as client-go's reflector lists, yielding to the event loop
   * between pages so that a large backlog never holds up the API's other requests (/healthz among them).
   */
  private async listAll(): Promise<{ items: T[]; resourceVersion: string }> {
    const items: T[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.client.list<T>(this.ref, {
        ...this.selector,
        limit: listPageSize,
        ...(token ? { continue: token } : {}),
      });
      for (const item of page.items) items.push(item);
      resourceVersion = page.metadata.resourceVersion ?? resourceVersion;
      token = page.metadata.continue || undefined;
      if (token) await new Promise((resolve) => setImmediate(resolve));
    } while (token);
    return { items, resourceVersion };
  }

  private async run(): Promise<void> {
    const list = await this.listAll();
    const seen = new Set<string>();
    for (const item of list.items) {
      const key = keyOf(item);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, item);
      if (old?.metadata.resourceVersion !== item.metadata.resourceVersion) this.notify(old, item);
    }
    for (const [key, old] of this.cache) {
      if (seen.has(key)) continue;
      this.cache.delete(key);
      this.notify(old, undefined);
    }
    this.hasSynced = true;
    this.lastFailure = undefined;
    if (this.stopped) return;
    const params = { ...this.selector, resourceVersion: list.resourceVersion };
    this.watcher = await this.client.watch<T>(this.ref, params, (event) => {
      if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED') return;
      const object = event.object as T;
      const key = keyOf(object);
      const old = this.cache.get(key);
      if (event.type === 'DELETED') {
        this.cache.delete(key);
        this.notify(old ?? object, undefined);
      } else {
        this.cache.set(key, object);
        this.notify(old, object);
      }
    });
    const watcher = this.watcher;
    if (this.stopped) watcher.close();
    // Only the current watch's end re-lists: one a stop closed must not re-list an informer started again since.
    watcher.done.then(() => {
      if (this.watcher === watcher) this.relist();
    });
  }

  private relist(): void {
    if (this.stopped) return;
    this.run().catch((error) => {
      this.lastFailure = error;
      this.onError(error);
      if (!this.stopped) setTimeout(() => this.relist(), relistDelayMs).unref();
    });
  }
}
