// The stored version a write made, decoded once for both the watches and the writer. A watch decodes each store
// change as it is committed (inside the write, before the writer resumes); for a create or update it leaves a copy
// of what it decoded here (made before any watcher sees the object, so nothing a watcher does can reach it), and the
// write that made that revision takes it instead of decoding the same bytes again. Unclaimed copies (writes made
// outside createObject/commitUpdate) are dropped, oldest first, past a small bound.
import type { KeyValue } from '../../store/types.js';
import type { KubeObject } from '../api/types.js';
import { copyOfTree } from '../client/copy.js';
import type { ResourceInfo } from '../resources/types.js';
import { decode } from '../storage/objects.js';

const keptPerResource = 256;

const waiting = new WeakMap<ResourceInfo, Map<string, { revision: number; object: KubeObject }>>();

/** Leaves the writer a copy of `object`, just decoded from `kv` as `info` serves it (and not yet handed out). */
export function offerToWriter(info: ResourceInfo, kv: KeyValue, object: KubeObject): void {
  let byKey = waiting.get(info);
  if (!byKey) {
    byKey = new Map();
    waiting.set(info, byKey);
  }
  byKey.delete(kv.key);
  byKey.set(kv.key, { revision: kv.modRevision, object: copyOfTree(object) });
  if (byKey.size > keptPerResource) byKey.delete(byKey.keys().next().value!);
}

/** The version `kv` holds as `info` serves it, for the write that stored it: the watches' copy, else decoded. */
export function decodeWritten(kv: KeyValue, info: ResourceInfo): KubeObject {
  const byKey = waiting.get(info);
  const offered = byKey?.get(kv.key);
  if (offered?.revision !== kv.modRevision) return decode(kv, info);
  byKey!.delete(kv.key);
  return offered.object;
}
