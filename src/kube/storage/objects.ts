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
