// A small in-memory Backend for the EKS API's own tests until src/store lands: revisions, prefix list, watch.
import { ConflictError, KeyExistsError, KeyNotFoundError } from '../../store/errors.js';
import type { Backend, KeyValue, ListOptions, ListResult, Watch, WatchEvent } from '../../store/types.js';

export function memoryBackend(): Backend {
  const live = new Map<string, KeyValue>();
  const history: WatchEvent[] = [];
  const watchers = new Set<{ prefix: string; onEvent: (e: WatchEvent) => void }>();
  let revision = 0;

  function emit(event: WatchEvent) {
    history.push(event);
    for (const w of watchers) if (event.kv.key.startsWith(w.prefix)) w.onEvent(event);
  }
  function guard(key: string, expected?: number): KeyValue {
    const prior = live.get(key);
    if (!prior) throw new KeyNotFoundError(key);
    if (expected !== undefined && expected !== prior.modRevision)
      throw new ConflictError(key, expected, prior.modRevision);
    return prior;
  }

  return {
    currentRevision: async () => revision,
    compactedRevision: async () => 0,
    get: async (key) => live.get(key),
    async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
      const keys = [...live.keys()]
        .filter((k) => k.startsWith(prefix) && (!options.startAfter || k > options.startAfter))
        .sort();
      const limited = options.limit ? keys.slice(0, options.limit) : keys;
      return { items: limited.map((k) => live.get(k) as KeyValue), revision, more: limited.length < keys.length };
    },
    count: async (prefix) => [...live.keys()].filter((k) => k.startsWith(prefix)).length,
    async create(key, value) {
      if (live.has(key)) throw new KeyExistsError(key);
      revision++;
      const kv = { key, value, createRevision: revision, modRevision: revision };
      live.set(key, kv);
      emit({ type: 'create', kv });
      return kv;
    },
    async update(key, value, expected) {
      const prevKv = guard(key, expected);
      revision++;
      const kv = { ...prevKv, value, modRevision: revision };
      live.set(key, kv);
      emit({ type: 'update', kv, prevKv });
      return kv;
    },
    async delete(key, expected) {
      const prevKv = guard(key, expected);
      revision++;
      live.delete(key);
      const kv = { ...prevKv, modRevision: revision };
      emit({ type: 'delete', kv, prevKv });
      return kv;
    },
    async watch(prefix, options, onEvent): Promise<Watch> {
      for (const e of history) if (e.kv.modRevision > options.afterRevision && e.kv.key.startsWith(prefix)) onEvent(e);
      const w = { prefix, onEvent };
      watchers.add(w);
      return { close: () => watchers.delete(w) };
    },
    compact: async () => {},
    close: async () => watchers.clear(),
  };
}
