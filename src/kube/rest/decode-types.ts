// The JSON types of a body, checked against its kind's schema before admission and the controllers see the object.
// kube-apiserver decodes a body into typed structs first, so a wrong type anywhere is its decode error:
// 400 BadRequest `<Kind> in version "<v>" cannot be handled as a <Kind>: json: cannot unmarshal …`. Custom
// resources decode unstructured, so only their metadata (always typed) is checked here. Fields the schema does not
// know are dropped, as decoding (built-in kinds) and pruning (custom resources) drop them.
import { badRequest } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { ResourceInfo } from '../resources/types.js';
import { decodeTypeError, decodeTypeMessage } from '../schema/decode-types.js';
import { definitionNameForKind, definitions, objectMetaName, pruneUnknownFields } from '../schema/index.js';
import { schemaOf } from './schema-of.js';

export function checkDecodableTypes(info: ResourceInfo, object: KubeObject | null): void {
  const definition = info.custom ? undefined : definitionNameForKind(info.group, info.version, info.kind);
  const found = definition
    ? decodeTypeError(definition, definitions()[definition], object)
    : decodeTypeError(objectMetaName, definitions()[objectMetaName], object?.metadata ?? null, ['metadata']);
  if (found) {
    throw badRequest(
      `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${decodeTypeMessage(found)}`,
    );
  }
}

/** Drops the fields the kind's schema does not know, as decoding into Go structs (or CRD pruning) does. */
export function dropUnknownFields(info: ResourceInfo, object: KubeObject): void {
  if (info.custom?.preserveUnknownFields) return;
  pruneUnknownFields(schemaOf(info), object);
}
