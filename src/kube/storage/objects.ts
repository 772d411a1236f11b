// Kubernetes objects in the revisioned store: the key layout (/registry/<group>/<resource>/<ns>/<name>), JSON
// encoding, and resourceVersion = the store's modRevision, filled in on every read.
import type { Backend, KeyValue } from '../../store/types.js';
import type { KubeObject } from '../api/types.js';
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

export function decode(kv: KeyValue): KubeObject {
  const object = JSON.parse(kv.value) as KubeObject;
  object.metadata.resourceVersion = String(kv.modRevision);
  return object;
}

export function encode(object: KubeObject): string {
  const { resourceVersion: _, ...metadata } = object.metadata;
  return JSON.stringify({ ...object, metadata });
}

export async function getObject(
  store: Backend,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
): Promise<KubeObject | undefined> {
  const kv = await store.get(objectKey(info, namespace, name));
  return kv ? decode(kv) : undefined;
}
