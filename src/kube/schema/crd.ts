// The schema of a custom resource: a CRD version's openAPIV3Schema with the fields every object has (apiVersion,
// kind, metadata as ObjectMeta) filled in and the kind's gvk attached, as kube-apiserver publishes it.
import type { Schema } from './types.js';

export const objectMetaName = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const apiVersionDescription =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const kindDescription =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const metadataDescription =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** `openAPIV3Schema` absent means the CRD keeps every field (legacy preserveUnknownFields). */
export function customResourceSchema(
  group: string,
  version: string,
  kind: string,
  openAPIV3Schema: Schema | undefined,
): Schema {
  const base: Schema = openAPIV3Schema
    ? structuredClone(openAPIV3Schema)
    : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const userMetadata = base.properties?.metadata;
  base.type = 'object';
  base.properties = {
    ...base.properties,
    apiVersion: { description: apiVersionDescription, type: 'string' },
    kind: { description: kindDescription, type: 'string' },
    metadata: {
      $ref: `#/definitions/${objectMetaName}`,
      description: userMetadata?.description ?? metadataDescription,
    },
  };
  base['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
  return base;
}

/** The OpenAPI name kube-apiserver gives a custom kind: group reversed, then version and kind (com.example.v1.Widget). */
export function customDefinitionName(group: string, version: string, kind: string): string {
  return [...group.split('.').reverse(), version, kind].join('.');
}
