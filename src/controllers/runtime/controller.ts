// A controller in controller-runtime's manner: it declares what it watches (a resource and how a change maps to
// work-queue keys) and reconciles one key at a time; informers start in the order declared, then feed the queue.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient, ResourceRef } from '../../kube/client/types.js';
import { Informer, keyOf } from './informer.js';
import { type ReconcileResult, WorkQueue } from './queue.js';

export interface ControllerOptions {
  workers?: number;
  onError?: (error: unknown) => void;
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
  private readonly informers: Informer[] = [];

  /** `name` prefixes errors logged when no `onError` is given. */
  constructor(
    protected readonly client: KubeClient,
    name: string,
    options: ControllerOptions = {},
    defaultWorkers = 5,
  ) {
    this.onError = options.onError ?? ((error) => console.error(`${name}:`, error));
    this.queue = new WorkQueue(
      (key) => this.reconcile(key),
      (_key, error) => this.onError(error),
      options.workers ?? defaultWorkers,
    );
  }

  /** Brings the object behind `key` to its desired state; a throw retries it after a back-off. */
  protected abstract reconcile(key: string): Promise<ReconcileResult | undefined>;

  /** Watches a resource: each change queues the keys `keysOf` maps it to. The informer's cache is the caller's. */
  protected watch(ref: ResourceRef, keysOf: KeysOf = ownKey): Informer {
    const informer = new Informer(
      this.client,
      ref,
      (old, current) => {
        for (const key of keysOf(old, current)) this.queue.add(key);
      },
      this.onError,
    );
    this.informers.push(informer);
    return informer;
  }

  async start(): Promise<void> {
    for (const informer of this.informers) await informer.start();
  }

  stop(): void {
    for (const informer of this.informers) informer.stop();
    this.queue.stop();
  }
}
