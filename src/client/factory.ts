// The shared informer factory (client-go's SharedInformerFactory, controller-runtime's cache): one informer — one
// list and one watch — per resource and selector for every component of a process that uses the same client.
// `sharedInformers(client)` finds the client's factory, so controllers, schedulers and the agent share without
// being wired to each other; each informer runs while at least one of them has started and not stopped it. A slice
// by namespace or label selector is served from the whole resource's informer (slice-informer.ts); one by field
// selector (a node's pods) has its own watch, since only the API knows every resource's fields.
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient, ResourceRef } from '../kube/client/types.js';
import type { Indexer } from './indexer.js';
import { Informer, type InformerHandler, type InformerSelector } from './informer.js';
import type { Lister } from './lister.js';
import { SliceInformer } from './slice-informer.js';

/** One component's use of a shared informer: its handler hears changes between its `start` and its `stop`. */
export class InformerUse<T extends KubeObject = KubeObject> {
  private remove?: () => void;

  constructor(
    readonly informer: Informer<T>,
    private readonly handler: InformerHandler<T>,
  ) {}

  get cache(): Indexer<T> {
    return this.informer.cache;
  }

  get lister(): Lister<T> {
    return this.informer.lister;
  }

  /** Syncs the informer, then hands the handler the cache as additions and every change after. */
  async start(): Promise<void> {
    await this.informer.start();
    this.remove = this.informer.addHandler(this.handler);
  }

  stop(): void {
    if (!this.remove) return;
    this.remove();
    this.remove = undefined;
    this.informer.stop();
  }
}

export class InformerFactory {
  private readonly informers = new Map<string, Informer>();

  constructor(
    private readonly client: KubeClient,
    private readonly onError: (error: unknown) => void = (error) => console.error('informer:', error),
  ) {}

  /** The one informer on `ref` (one namespace when it names one) and `selector`. */
  informerFor<T extends KubeObject = KubeObject>(ref: ResourceRef, selector: InformerSelector = {}): Informer<T> {
    const key = [
      ref.apiVersion,
      ref.kind,
      ref.namespace ?? '',
      selector.labelSelector ?? '',
      selector.fieldSelector ?? '',
    ].join('\u0000');
    let informer = this.informers.get(key);
    if (!informer) {
      const slice = (ref.namespace || selector.labelSelector) && !selector.fieldSelector;
      informer = slice
        ? new SliceInformer(
            this.client,
            ref,
            selector,
            this.informerFor({ apiVersion: ref.apiVersion, kind: ref.kind }),
          )
        : new Informer(this.client, ref, undefined, this.onError, selector);
      this.informers.set(key, informer);
    }
    return informer as unknown as Informer<T>;
  }

  /** The shared informer on `ref` and `selector`, as one component's handler of it. */
  handle<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    handler: InformerHandler<T>,
    selector?: InformerSelector,
  ): InformerUse<T> {
    return new InformerUse(this.informerFor<T>(ref, selector), handler);
  }

  /** The informers some component runs now. */
  get running(): Informer[] {
    return [...this.informers.values()].filter((informer) => informer.running);
  }
}

const factories = new WeakMap<KubeClient, InformerFactory>();

/** The factory every component holding `client` shares. */
export function sharedInformers(client: KubeClient): InformerFactory {
  let factory = factories.get(client);
  if (!factory) {
    factory = new InformerFactory(client);
    factories.set(client, factory);
  }
  return factory;
}

/**
 * Lets `other` read through `client`'s shared informers: a component of the same process acting as another
 * identity (the agent, as its node) writes with its own client but needs no second cache of the same objects.
 */
export function shareInformers(client: KubeClient, other: KubeClient): void {
  factories.set(other, sharedInformers(client));
}
