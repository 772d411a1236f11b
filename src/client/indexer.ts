// An informer's cache in client-go's manner (cache.Indexer): objects by `namespace/name`, plus indexes: by
// namespace, by owner UID, by spec.nodeName and by label `key=value`, and any index a component adds (client-go's
// AddIndexers). An index is built over what is cached the first time it is asked for, and kept up to date on every
// change from then on: the indexes nobody reads (labels of Events, nodeName of Leases…) cost nothing. Listers read it.
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

  /** Adds an index (a second call with the same name keeps the first); it is built when first asked for. */
  addIndex(name: string, indexFunc: IndexFunc): void {
    if (!this.indexFuncs.has(name)) this.indexFuncs.set(name, indexFunc);
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
    return this.built(index)?.get(value) ?? none;
  }

  /** The objects the index files under `value`. */
  *byIndex(index: IndexName, value: string): Generator<T> {
    for (const key of this.keysFor(index, value)) yield super.get(key)!;
  }

  /** The index, built over what is cached when first asked for; undefined for a name no index has. */
  private built(name: IndexName): Map<string, Set<string>> | undefined {
    let index = this.indexes.get(name);
    if (index) return index;
    const indexFunc = this.indexFuncs.get(name);
    if (!indexFunc) return undefined;
    index = new Map();
    this.indexes.set(name, index);
    for (const [key, object] of this) this.indexOne(index, indexFunc, key, object);
    return index;
  }

  private index(key: string, object: T): void {
    for (const [name, index] of this.indexes) this.indexOne(index, this.indexFuncs.get(name)!, key, object);
  }

  private indexOne(index: Map<string, Set<string>>, indexFunc: IndexFunc, key: string, object: T): void {
    for (const value of indexFunc(object)) {
      const keys = index.get(value) ?? new Set<string>();
      index.set(value, keys.add(key));
    }
  }

  private unindex(key: string, object: T): void {
    for (const [name, index] of this.indexes) {
      const indexFunc = this.indexFuncs.get(name)!;
      for (const value of indexFunc(object)) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}
