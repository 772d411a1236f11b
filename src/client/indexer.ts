// An informer's cache in client-go's manner (cache.Indexer): objects by `namespace/name`, plus indexes kept up to
// date on every change: by namespace, by owner UID, by spec.nodeName and by label `key=value`. Listers read it.
import type { KubeObject } from '../kube/api/types.js';

/** What an index files an object under (none: not in that index). */
export type IndexFunc = (object: KubeObject) => Iterable<string>;

export const indexers = {
  namespace: (object: KubeObject) => (object.metadata.namespace ? [object.metadata.namespace] : []),
  owner: (object: KubeObject) => (object.metadata.ownerReferences ?? []).map((ref) => ref.uid),
  nodeName: (object: KubeObject) => (typeof object.spec?.nodeName === 'string' ? [object.spec.nodeName] : []),
  label: (object: KubeObject) => Object.entries(object.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`),
} satisfies Record<string, IndexFunc>;

export type IndexName = keyof typeof indexers;

const none: ReadonlySet<string> = new Set();

/** A Map by key whose writes keep every index in step; read it as a Map, query it with `keys`. */
export class Indexer<T extends KubeObject = KubeObject> extends Map<string, T> {
  private readonly indexes = new Map<IndexName, Map<string, Set<string>>>();

  override set(key: string, object: T): this {
    const old = super.get(key);
    if (old) this.unindex(key, old);
    super.set(key, object);
    // Map's constructor calls set before the field initialisers run.
    if (this.indexes) this.index(key, object);
    return this;
  }

  override delete(key: string): boolean {
    const old = super.get(key);
    if (old) this.unindex(key, old);
    return super.delete(key);
  }

  override clear(): void {
    super.clear();
    this.indexes.clear();
  }

  /** The keys of the objects the index files under `value`. */
  keysFor(index: IndexName, value: string): ReadonlySet<string> {
    return this.indexes.get(index)?.get(value) ?? none;
  }

  /** The objects the index files under `value`. */
  *byIndex(index: IndexName, value: string): Generator<T> {
    for (const key of this.keysFor(index, value)) yield super.get(key)!;
  }

  private index(key: string, object: T): void {
    for (const name of Object.keys(indexers) as IndexName[]) {
      const index = this.indexes.get(name) ?? new Map<string, Set<string>>();
      this.indexes.set(name, index);
      for (const value of indexers[name](object)) {
        const keys = index.get(value) ?? new Set<string>();
        index.set(value, keys.add(key));
      }
    }
  }

  private unindex(key: string, object: T): void {
    for (const name of Object.keys(indexers) as IndexName[]) {
      const index = this.indexes.get(name);
      if (!index) continue;
      for (const value of indexers[name](object)) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}
