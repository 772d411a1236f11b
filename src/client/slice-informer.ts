// A slice of a resource (one namespace, or the objects a label selector matches) served from the informer on the
// whole resource, as controller-runtime's cache serves a namespaced or label-selected list from its one informer
// per kind: no watch of its own. It keeps the slice's objects (the whole informer's, shared) in its own indexed
// cache and tells its handlers what a watch with that selector would: an object entering the slice is added,
// one leaving it deleted. It starts the whole informer with its first user and stops it with its last.
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient, ResourceRef } from '../kube/client/types.js';
import { matchesLabels, parseLabelSelector } from '../kube/selectors/labels.js';
import { Informer, type InformerSelector, keyOf } from './informer.js';

export class SliceInformer<T extends KubeObject = KubeObject> extends Informer<T> {
  private readonly inSlice: (object: T) => boolean;
  private removeFromWhole?: () => void;
  private sliceSynced?: Promise<void>;

  constructor(
    client: KubeClient,
    ref: ResourceRef,
    selector: InformerSelector,
    private readonly whole: Informer<T>,
  ) {
    super(client, ref, undefined, undefined, selector);
    const requirements = parseLabelSelector(selector.labelSelector);
    const namespace = ref.namespace;
    this.inSlice = (object) =>
      (!namespace || object.metadata.namespace === namespace) && matchesLabels(requirements, object.metadata.labels);
  }

  override start(): Promise<void> {
    this.users++;
    this.stopped = false;
    if (!this.sliceSynced) {
      this.removeFromWhole = this.whole.addHandler((old, current) => this.observe(old, current));
      this.sliceSynced = this.whole.start().then(
        () => {
          this.resync();
          this.hasSynced = true;
        },
        (error) => {
          this.removeFromWhole?.();
          this.sliceSynced = undefined;
          throw error;
        },
      );
    }
    return this.sliceSynced.catch((error) => {
      if (this.users > 0) this.users--;
      throw error;
    });
  }

  override stop(): void {
    if (this.users > 0) this.users--;
    if (this.users > 0 || !this.sliceSynced) return;
    this.stopped = true;
    this.sliceSynced = undefined;
    this.hasSynced = false;
    this.removeFromWhole?.();
    this.removeFromWhole = undefined;
    this.whole.stop();
  }

  override get failure(): unknown {
    return this.whole.failure;
  }

  /**
   * The slice as the whole resource's cache holds it now: a whole informer restarted over its kept cache tells only
   * what changed meanwhile, and this slice may be new or have stopped hearing it.
   */
  private resync(): void {
    for (const [key, object] of this.whole.cache) if (this.cache.get(key) !== object) this.observe(undefined, object);
    for (const [key, object] of this.cache) if (!this.whole.cache.has(key)) this.observe(object, undefined);
  }

  /** A change of the whole resource, as a watch on the slice would report it. */
  private observe(old: T | undefined, current: T | undefined): void {
    const key = keyOf((current ?? old)!);
    const before = this.cache.get(key);
    if (current && this.inSlice(current)) {
      this.cache.set(key, current);
      this.notify(before, current);
    } else if (before) {
      this.cache.delete(key);
      this.notify(before, undefined);
    }
  }
}
