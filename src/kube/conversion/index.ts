// Conversion between the versions of a built-in resource served in more than one version: objects are stored in
// the storage version and converted on the way in and out, as kube-apiserver does (autoscaling/v1 ↔ v2 HPAs).
import type { KubeObject } from '../api/types.js';
import { apiVersionOf, type ResourceInfo } from '../resources/types.js';
import { hpaFromV1, hpaToV1 } from './hpa.js';

interface Converter {
  storageVersion: string;
  /** Converts between the storage version and one other version, in either direction. */
  convert(object: KubeObject, toApiVersion: string): KubeObject;
}

const converters: Record<string, Converter> = {
  'autoscaling/horizontalpodautoscalers': {
    storageVersion: 'autoscaling/v2',
    convert: (object, to) => (to === 'autoscaling/v1' ? hpaToV1(object) : hpaFromV1(object)),
  },
};

const converterOf = (info: ResourceInfo) => converters[`${info.group}/${info.resource}`];

/** The object as the storage version holds it (unchanged for resources served in one version). */
export function toStorageVersion(info: ResourceInfo, object: KubeObject): KubeObject {
  const converter = converterOf(info);
  if (!converter || object.apiVersion === converter.storageVersion || !object.apiVersion) return object;
  return converter.convert(object, converter.storageVersion);
}

/** A stored object in the version `info` serves. */
export function fromStorageVersion(info: ResourceInfo, object: KubeObject): KubeObject {
  const converter = converterOf(info);
  const wanted = apiVersionOf(info);
  if (!converter || object.apiVersion === wanted) return object;
  return converter.convert(object, wanted);
}
