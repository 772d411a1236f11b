// A controller in controller-runtime's manner: it declares what it watches (a resource and how a change maps to
// work-queue keys) and reconciles one key at a time. Its informers come from the client's shared factory; at start
// each is synced in the order declared, and only then do their changes (the caches first) feed the queue.
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient, ResourceRef } from '../kube/client/types.js';
import { type InformerFactory, sharedInformers } from './factory.js';
import { type Informer, type InformerSelector, keyOf } from './informer.js';
import { getIfExists } from './objects.js';
import { controllerOwnerKeys } from './owners.js';
import { type ReconcileResult, WorkQueue } from './queue.js';

export interface ControllerOptions {
  workers?: number;
  onError?: (error: unknown) => void;
  /** Where the informers come from (default: the factory every holder of the client shares). */
  informers?: InformerFactory;
  /** The kind of object the queue's keys name (for the write guard's Event about a runaway key). */
  object?: { apiVersion: string; kind: string };
}

/** The keys a change concerns; `old` is undefined for an addition, `current` for a deletion. */
export type KeysOf = (old: KubeObject | undefined, current: KubeObject | undefined) => Iterable<string>;

/** The changed object's own key. */
export const ownKey: KeysOf = (old, current) => [keyOf((current ?? old)!)];

/** A watch kept only for its cache. */
export const noKeys: KeysOf = () => [];

/** The keys of the cached objects (Services, budgets…) that select either version of the changed one. */
export function selectingKeys(
  selectors: Map<string, KubeObject>,
  selects: (selector: KubeObject, object: KubeObject) => boolean,
): KeysOf {
  return function* (old, current) {
    for (const selector of selectors.values()) {
      if ((old && selects(selector, old)) || (current && selects(selector, current))) yield keyOf(selector);
    }
  };
}

/** A `namespace/name` key's two parts. */
export function namespacedName(key: string): [namespace: string, name: string] {
  const [namespace, name] = key.split('/');
  return [namespace, name];
}

export abstract class Controller {
  readonly queue: WorkQueue;
  protected readonly onError: (error: unknown) => void;
  protected readonly informers: InformerFactory;
  private readonly watches: { informer: Informer; keysOf: KeysOf }[] = [];
  private readonly removals: (() => void)[] = [];

  /** `name` prefixes errors logged when no `onError` is given. */
  constructor(
    protected readonly client: KubeClient,
    name: string,
    options: ControllerOptions = {},
    defaultWorkers = 5,
  ) {
    this.onError = options.onError ?? ((error) => console.error(`${name}:`, error));
    this.informers = options.informers ?? sharedInformers(client);
    this.queue = new WorkQueue(
      (key) => this.reconcile(key),
      (_key, error) => this.onError(error),
      { workers: options.workers ?? defaultWorkers, component: name, object: options.object },
    );
  }

  /** Brings the object behind `key` to its desired state; a throw retries it after a back-off. */
  protected abstract reconcile(key: string): Promise<ReconcileResult | undefined>;

  /** Watches a resource (a slice of it with `selector`): each change queues the keys `keysOf` maps it to. */
  protected watch(ref: ResourceRef, keysOf: KeysOf = ownKey, selector?: InformerSelector): Informer {
    const informer = this.informers.informerFor(ref, selector);
    this.watches.push({ informer, keysOf });
    // The first resource watched for its own keys is the one the queue's keys name.
    if (keysOf === ownKey && !this.queue.object) this.queue.object = { apiVersion: ref.apiVersion, kind: ref.kind };
    return informer;
  }

  /**
   * controller-runtime's For(owner).Owns(dependent): watches the owner kind and its dependents; a dependent's change
   * queues the key of its controller of that kind (or, for a live orphan, of every owner that could adopt it).
   */
  protected watchOwned(owner: ResourceRef, dependent: ResourceRef): { owners: Informer; dependents: Informer } {
    const owners = this.watch(owner);
    const group = owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : undefined;
    const dependents = this.watch(dependent, controllerOwnerKeys({ kind: owner.kind, group }, owners.cache));
    return { owners, dependents };
  }

  /** Hands the object behind `key`, as the API has it now, to `reconcileIt`; one that is gone needs nothing. */
  protected async reconcileObject(
    ref: ResourceRef,
    key: string,
    reconcileIt: (object: KubeObject) => Promise<ReconcileResult>,
  ): Promise<ReconcileResult> {
    const [namespace, name] = namespacedName(key);
    const object = await getIfExists(this.client, { ...ref, namespace }, name);
    return object ? reconcileIt(object) : {};
  }

  async start(): Promise<void> {
    const started: Informer[] = [];
    try {
      for (const { informer } of this.watches) {
        await informer.start();
        started.push(informer);
      }
    } catch (error) {
      for (const informer of started) informer.stop();
      throw error;
    }
    for (const { informer, keysOf } of this.watches) {
      this.removals.push(
        informer.addHandler((old, current) => {
          for (const key of keysOf(old, current)) this.queue.add(key);
        }),
      );
    }
  }

  stop(): void {
    for (const remove of this.removals.splice(0)) remove();
    for (const { informer } of this.watches) informer.stop();
    this.queue.stop();
  }
}
