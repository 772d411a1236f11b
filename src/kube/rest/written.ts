// The stored version a write made, decoded once for both the watches and the writer — and, for the API's own
// writes, not parsed at all. A watch decodes each store change as it is committed (inside the write, before the
// writer resumes); for a create or update it leaves a copy of what it decoded here (made before any watcher sees the
// object, so nothing a watcher does can reach it), and the write that made that revision takes it instead of
// decoding the same bytes again. Unclaimed copies (writes made outside createObject/commitUpdate) are dropped,
// oldest first, past a small bound. While createObject or commitUpdate writes (writeEncoded), the object it encoded
// is at hand: the change is "decoded" by copying it as decoding its bytes would make it (decodedCopy), several
// times cheaper than parsing them.
import type { KeyValue } from '../../store/types.js';
import type { KubeObject } from '../api/types.js';
import { copyOfTree } from '../client/copy.js';
import type { ResourceInfo } from '../resources/types.js';
import { decode, decodedCopy } from '../storage/objects.js';

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
  if (offered?.revision !== kv.modRevision) return decodeStored(kv, info);
  byKey!.delete(kv.key);
  return offered.object;
}

/** The objects being written now, by resource and key, with the bytes they were encoded to. */
const writing = new WeakMap<ResourceInfo, Map<string, { text: string; object: KubeObject }>>();

/**
 * Stores `text`, the encoding of `object` under `key`, by `write`; answers the version stored, as `info` serves it.
 * Until the write returns, a change of `key` to exactly `text` is decoded by copying `object`.
 */
export async function writeEncoded(
  info: ResourceInfo,
  key: string,
  text: string,
  object: KubeObject,
  write: () => Promise<KeyValue>,
): Promise<KubeObject> {
  let byKey = writing.get(info);
  if (!byKey) {
    byKey = new Map();
    writing.set(info, byKey);
  }
  const entry = { text, object };
  byKey.set(key, entry);
  try {
    return decodeWritten(await write(), info);
  } finally {
    if (byKey.get(key) === entry) byKey.delete(key);
  }
}

/** The version `kv` holds as `info` serves it: a copy of the object being written to it, else decoded. */
export function decodeStored(kv: KeyValue, info: ResourceInfo): KubeObject {
  const entry = writing.get(info)?.get(kv.key);
  const copy = entry?.text === kv.value ? decodedCopy(info, entry.object, kv.modRevision) : undefined;
  return copy ?? decode(kv, info);
}
