// A lister (client-go's listers): typed reads of an informer's cache that reconcilers use instead of listing from
// the API — one object, a namespace's objects, those a selector matches, an owner's dependents, a node's pods.
import type { KubeObject } from '../kube/api/types.js';
import { labelSelectorOf, matchesLabels, type Requirement, requirementsOf } from '../kube/selectors/labels.js';
import type { Indexer } from './indexer.js';

export class Lister<T extends KubeObject = KubeObject> {
  constructor(private readonly cache: Indexer<T>) {}

  /** The object named `name` (in `namespace` for a namespaced resource), or undefined. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Every object (of one namespace when given) whose labels meet `requirements` (none: all). */
  list(namespace?: string, requirements: Requirement[] = []): T[] {
    const narrowest = this.candidates(namespace, requirements);
    const found: T[] = [];
    for (const object of narrowest) {
      if (namespace && object.metadata.namespace !== namespace) continue;
      if (matchesLabels(requirements, object.metadata.labels)) found.push(object);
    }
    return found;
  }

  /** The objects that name `uid` among their owner references. */
  ownedBy(uid: string): T[] {
    return [...this.cache.byIndex('owner', uid)];
  }

  /**
   * What an owner with a selector may claim (claimObjects): the objects of its namespace that name it as an
   * owner or that its (non-empty) selector matches.
   */
  claimable(owner: KubeObject): T[] {
    const found = new Map<string, T>();
    for (const object of this.ownedBy(owner.metadata.uid!)) {
      if (object.metadata.namespace === owner.metadata.namespace) found.set(object.metadata.uid!, object);
    }
    const selector = requirementsOf(labelSelectorOf(owner));
    if (selector.length === 0) return [...found.values()];
    for (const object of this.list(owner.metadata.namespace, selector)) found.set(object.metadata.uid!, object);
    return [...found.values()];
  }

  /** The pods bound to node `name`. */
  onNode(name: string): T[] {
    return [...this.cache.byIndex('nodeName', name)];
  }

  /** The smallest index slice that can hold every match: one label value, else the namespace, else everything. */
  private candidates(namespace: string | undefined, requirements: Requirement[]): Iterable<T> {
    let best: ReadonlySet<string> | undefined;
    for (const r of requirements) {
      if (r.operator !== 'In' || r.values.length !== 1) continue;
      const keys = this.cache.keysFor('label', `${r.key}=${r.values[0]}`);
      if (!best || keys.size < best.size) best = keys;
    }
    if (namespace) {
      const keys = this.cache.keysFor('namespace', namespace);
      if (!best || keys.size < best.size) best = keys;
    }
    if (!best) return this.cache.values();
    const cache = this.cache;
    return (function* () {
      for (const key of best) yield cache.get(key)!;
    })();
  }
}
