// An informer's cache in client-go's manner (cache.Indexer): objects by `namespace/name`, plus indexes kept up to
// date on every change: by namespace, by owner UID, by spec.nodeName and by label `key=value`, and any index a
// component adds (client-go's AddIndexers) — built over what is cached already. Listers read it.
import type { KubeObject } from '../kube/api/types.js';

/** What an index files an object under (none: not in that index). */
export type IndexFunc = (object: KubeObject) => Iterable<string>;

export const indexers = {
  namespace: (object: KubeObject) => (object.metadata.namespace ? [object.metadata.namespace] : []),
  owner: (object: KubeObject) => (object.metadata.ownerReferences ?? []).map((ref) => ref.uid),
  nodeName: (object: KubeObject) => (typeof object.spec?.nodeName === 'string' ? [object.spec.nodeName] : []),
  label: (object: KubeObject) => Object.entries(object.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`),
} satisfies Record<string, IndexFunc>;

/** A built-in index, or one a component added. */
export type IndexName = keyof typeof indexers | (string & {});

const none: ReadonlySet<string> = new Set();

/** A Map by key whose writes keep every index in step; read it as a Map, query it with `keys`. */
export class Indexer<T extends KubeObject = KubeObject> extends Map<string, T> {
  private readonly indexes = new Map<IndexName, Map<string, Set<string>>>();
  private readonly indexFuncs = new Map<IndexName, IndexFunc>(Object.entries(indexers));

  /** Adds an index (a second call with the same name keeps the first), filing what is cached already. */
  addIndex(name: string, indexFunc: IndexFunc): void {
    if (this.indexFuncs.has(name)) return;
    this.indexFuncs.set(name, indexFunc);
    for (const [key, object] of this) this.indexOne(name, indexFunc, key, object);
  }

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
    for (const [name, indexFunc] of this.indexFuncs) this.indexOne(name, indexFunc, key, object);
  }

  private indexOne(name: IndexName, indexFunc: IndexFunc, key: string, object: T): void {
    const index = this.indexes.get(name) ?? new Map<string, Set<string>>();
    this.indexes.set(name, index);
    for (const value of indexFunc(object)) {
      const keys = index.get(value) ?? new Set<string>();
      index.set(value, keys.add(key));
    }
  }

  private unindex(key: string, object: T): void {
    for (const [name, indexFunc] of this.indexFuncs) {
      const index = this.indexes.get(name);
      if (!index) continue;
      for (const value of indexFunc(object)) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}
