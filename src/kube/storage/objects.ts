// Kubernetes objects in the revisioned store: the key layout (/registry/<group>/<resource>/<ns>/<name>), JSON
// encoding, and resourceVersion = the store's modRevision, filled in on every read.
import type { Backend, KeyValue } from '../../store/types.js';
import type { KubeObject } from '../api/types.js';
import { fromStorageVersion, toStorageVersion } from '../conversion/index.js';
import type { ResourceInfo } from '../resources/types.js';

function groupSegment(info: ResourceInfo): string {
  const group = info.group;
  return group === '' ? 'core' : group;
}

/** Prefix of every object of a resource, or of one namespace's objects when `namespace` is given. */
export function resourcePrefix(info: ResourceInfo, namespace?: string): string {
  const base = `/registry/${groupSegment(info)}/${info.resource}/`;
  return info.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function objectKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${resourcePrefix(info, namespace)}${name}`;
}

/** The stored object, converted to the version `info` serves when given. */
export function decode(kv: KeyValue, info?: ResourceInfo): KubeObject {
  let object = JSON.parse(kv.value) as KubeObject;
  if (info) object = fromStorageVersion(info, object);
  object.metadata.resourceVersion = String(kv.modRevision);
  return object;
}

const notJson = Symbol('a value JSON would change');

/** A JSON value as JSON.parse(JSON.stringify(value)) makes it; throws notJson for what it would not keep as is. */
function jsonValue(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null; // -0 → 0, NaN → null
  if (typeof value !== 'object') throw notJson;
  if (!Array.isArray(value)) return objectCopy(value);
  if (Object.getPrototypeOf(value) !== Array.prototype) throw notJson;
  const out: unknown[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    // What JSON cannot hold in a list becomes null there.
    out[i] = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : jsonValue(item);
  }
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A plain object's JSON copy, without the property `skip` (what JSON drops is left out). */
function objectCopy(value: object, skip?: string): Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) throw notJson; // a Date, a Map: toJSON or worse
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (key === skip || item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: jsonValue(item), enumerable: true, writable: true, configurable: true });
    else out[key] = jsonValue(item);
  }
  return out;
}

/**
 * What decode makes of the bytes encode makes of `object` at `revision`, made by copying the object instead of
 * parsing the bytes (several times faster); undefined when a copy could differ: a resource stored in another version
 * than `info` serves, or a value JSON would not keep as it is (a Date, say).
 */
export function decodedCopy(info: ResourceInfo, object: KubeObject, revision: number): KubeObject | undefined {
  if (toStorageVersion(info, object) !== object || fromStorageVersion(info, object) !== object) return undefined;
  try {
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) throw notJson;
    const copy: Record<string, unknown> = {};
    for (const key in object) {
      const item = object[key];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      if (key === '__proto__') throw notJson;
      // encode stores no resourceVersion; decode adds it last.
      copy[key] = key === 'metadata' && isObject(item) ? objectCopy(item, 'resourceVersion') : jsonValue(item);
    }
    if (!isObject(copy.metadata)) throw notJson;
    copy.metadata.resourceVersion = String(revision);
    return copy as KubeObject;
  } catch (error) {
    if (error === notJson) return undefined;
    throw error;
  }
}

/** The bytes to store, converted to the storage version when `info` serves another. */
export function encode(object: KubeObject, info?: ResourceInfo): string {
  const stored = info ? toStorageVersion(info, object) : object;
  const { resourceVersion: _, ...metadata } = stored.metadata;
  return JSON.stringify({ ...stored, metadata });
}

const storedTexts = new WeakMap<KubeObject, string>();

/** The bytes an object read by getObject was decoded from, as encode would make them from it unchanged. */
export function storedTextOf(object: KubeObject): string | undefined {
  return storedTexts.get(object);
}

export async function getObject(
  store: Backend,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
): Promise<KubeObject | undefined> {
  const kv = await store.get(objectKey(info, namespace, name));
  if (!kv) return undefined;
  const object = decode(kv, info);
  storedTexts.set(object, kv.value);
  return object;
}
