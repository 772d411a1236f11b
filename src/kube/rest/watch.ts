// WATCH: changes to a resource after a resourceVersion, filtered by selectors. With no resourceVersion (or "0")
// it first sends the current objects as ADDED, as kube-apiserver does. An object that stops matching the
// selectors is sent as DELETED, one that starts matching as ADDED. A compacted revision ends in a 410 ERROR.
// A store change is decoded once for every watch on it (the store hands each the same event): watchers share the
// object and must not change it.
import { CompactedError } from '../../store/errors.js';
import type { KeyValue, WatchEvent } from '../../store/types.js';
import { statusFailure } from '../api/errors.js';
import type { KubeObject, KubeWatchEvent } from '../api/types.js';
import type { ResourceInfo } from '../resources/types.js';
import { apiVersionOf } from '../resources/types.js';
import { decode, resourcePrefix } from '../storage/objects.js';
import type { ApiContext } from './context.js';
import { listObjects, makeFilter, matchesFilter } from './list.js';
import { parseResourceVersion } from './resource-version.js';
import { decodeStored, offerToWriter } from './written.js';

export interface WatchQuery {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
}

export interface ActiveWatch {
  close(): void;
  /** The revision of the last event delivered (or the start revision): what a BOOKMARK carries. */
  revision(): number;
}

const unfilteredTypes = { create: 'ADDED', update: 'MODIFIED', delete: 'DELETED' } as const;

const decoded = new WeakMap<ResourceInfo, WeakMap<KeyValue, KubeObject>>();

/**
 * The stored version as the resource serves it, decoded on the first watch's behalf and shared by the rest; a
 * created or updated version is also offered to the write that made it (written.ts).
 */
function decodeShared(kv: KeyValue, info: ResourceInfo, written = false): KubeObject {
  const byValue = decoded.get(info) ?? new WeakMap<KeyValue, KubeObject>();
  decoded.set(info, byValue);
  let object = byValue.get(kv);
  if (!object) {
    object = written ? decodeStored(kv, info) : decode(kv, info);
    if (written) offerToWriter(info, kv, object);
    object.apiVersion = apiVersionOf(info);
    object.kind = info.kind;
    byValue.set(kv, object);
  }
  return object;
}

/** The kube watch event a store change is for a watcher whose selectors `matches` applies (none: every change). */
function toKubeEvent(
  info: ResourceInfo,
  event: WatchEvent,
  matches: ((o: KubeObject) => boolean) | undefined,
): KubeWatchEvent | undefined {
  const object = decodeShared(event.kv, info, event.type !== 'delete');
  if (!matches) return { type: unfilteredTypes[event.type], object };
  const previous = event.prevKv ? decodeShared(event.prevKv, info) : undefined;
  const now = matches(object);
  if (event.type === 'create') return now ? { type: 'ADDED', object } : undefined;
  if (event.type === 'delete') return now ? { type: 'DELETED', object } : undefined;
  const before = previous ? matches(previous) : now;
  if (now && before) return { type: 'MODIFIED', object };
  if (now) return { type: 'ADDED', object };
  if (before) return { type: 'DELETED', object };
  return undefined;
}

export async function watchObjects(
  ctx: ApiContext,
  info: ResourceInfo,
  namespace: string | undefined,
  query: WatchQuery,
  emit: (event: KubeWatchEvent) => void,
): Promise<ActiveWatch> {
  const filter = makeFilter(info, query);
  const everything = filter.labels.length === 0 && filter.fields.length === 0;
  const matches = everything ? undefined : (o: KubeObject) => matchesFilter(filter, o);
  let after: number;
  const rv = query.resourceVersion;
  if (!rv || rv === '0') {
    const current = await listObjects(ctx, info, namespace, query);
    for (const object of current.items) emit({ type: 'ADDED', object });
    after = Number(current.metadata.resourceVersion);
  } else {
    after = parseResourceVersion(rv);
  }
  let last = after;
  try {
    const watch = await ctx.store.watch(resourcePrefix(info, namespace), { afterRevision: after }, (event) => {
      last = event.kv.modRevision;
      const kubeEvent = toKubeEvent(info, event, matches);
      if (kubeEvent) emit(kubeEvent);
    });
    return { close: () => watch.close(), revision: () => last };
  } catch (error) {
    if (!(error instanceof CompactedError)) throw error;
    emit({
      type: 'ERROR',
      object: statusFailure(410, 'Expired', `too old resource version: ${after} (${error.compacted})`),
    });
    return { close() {}, revision: () => last };
  }
}
