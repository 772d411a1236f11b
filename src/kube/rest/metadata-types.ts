// The JSON types of the metadata fields the server itself reads (ownerReferences), checked before admission and
// the controllers see the object. kube-apiserver decodes a body into typed structs first, so a wrong type is its
// decode error: 400 BadRequest `<Kind> in version "<v>" cannot be handled as a <Kind>: json: cannot unmarshal …`.
import { badRequest } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { ResourceInfo } from '../resources/types.js';

/** Go's name for the JSON type of a value, as encoding/json's UnmarshalTypeError writes it. */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}

function cannotDecode(info: ResourceInfo, value: unknown, goField: string, goType: string) {
  return badRequest(
    `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: json: cannot unmarshal ` +
      `${jsonTypeOf(value)} into Go struct field ${goField} of type ${goType}`,
  );
}

export function checkMetadataTypes(info: ResourceInfo, object: KubeObject): void {
  const refs: unknown = object.metadata?.ownerReferences;
  if (refs === undefined || refs === null) return;
  const field = 'ObjectMeta.metadata.ownerReferences';
  if (!Array.isArray(refs)) throw cannotDecode(info, refs, field, '[]v1.OwnerReference');
  for (const ref of refs) {
    if (typeof ref !== 'object' || ref === null || Array.isArray(ref)) {
      throw cannotDecode(info, ref, field, 'v1.OwnerReference');
    }
    const goTypes = { apiVersion: 'string', kind: 'string', name: 'string', uid: 'types.UID' } as const;
    for (const [member, goType] of Object.entries(goTypes)) {
      const value: unknown = (ref as Record<string, unknown>)[member];
      if (value !== undefined && value !== null && typeof value !== 'string') {
        throw cannotDecode(info, value, `OwnerReference.metadata.ownerReferences.${member}`, goType);
      }
    }
  }
}
