// The JSON types of a body, checked against its kind's schema before admission and the controllers see the object.
// kube-apiserver decodes a body into typed structs first, so a wrong type anywhere is its decode error:
// 400 BadRequest `<Kind> in version "<v>" cannot be handled as a <Kind>: json: cannot unmarshal …`. Custom
// resources decode unstructured, so only their metadata (always typed) is checked here. Fields the schema does not
// know are dropped, as decoding (built-in kinds) and pruning (custom resources) drop them. A patch's result is
// checked only in the top-level fields the patch can change (`touched`): the rest is the stored object's.
import { badRequest } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { isObject } from '../patch/json.js';
import type { ResourceInfo } from '../resources/types.js';
import { type DecodeTypeError, decodeTypeError, decodeTypeMessage } from '../schema/decode-types.js';
import { definitionNameForKind, definitions, objectMetaName, pruneUnknownFields } from '../schema/index.js';
import { schemaOf } from './schema-of.js';

/** `object`'s top-level fields named in `fields` (those it has), in a shallow object of their own. */
function fieldsOf(object: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const part: Record<string, unknown> = {};
  for (const field of fields) if (Object.hasOwn(object, field)) part[field] = object[field];
  return part;
}

export function checkDecodableTypes(info: ResourceInfo, object: KubeObject | null, touched?: readonly string[]): void {
  const checked = touched && isObject(object) ? (fieldsOf(object, touched) as KubeObject) : object;
  if (!info.custom) {
    checkKindTypes(info, checked);
    return;
  }
  if (checked !== object && !Object.hasOwn(checked!, 'metadata')) return;
  const found = decodeTypeError(objectMetaName, definitions()[objectMetaName], checked?.metadata ?? null, ['metadata']);
  if (found) throw typeRefusal(info, found);
}

/** Checks a body of a built-in kind (a Binding sent to pods/binding, say) as kube-apiserver decodes it. */
export function checkKindTypes(kind: { group: string; version: string; kind: string }, body: unknown): void {
  const definition = definitionNameForKind(kind.group, kind.version, kind.kind);
  const found = definition ? decodeTypeError(definition, definitions()[definition], body) : undefined;
  if (found) throw typeRefusal(kind, found);
}

function typeRefusal(kind: { version: string; kind: string }, found: DecodeTypeError) {
  return badRequest(
    `${kind.kind} in version "${kind.version}" cannot be handled as a ${kind.kind}: ${decodeTypeMessage(found)}`,
  );
}

/** Drops the fields the kind's schema does not know, as decoding into Go structs (or CRD pruning) does. */
export function dropUnknownFields(info: ResourceInfo, object: KubeObject, touched?: readonly string[]): void {
  if (info.custom?.preserveUnknownFields) return;
  if (!touched) {
    pruneUnknownFields(schemaOf(info), object);
    return;
  }
  const part = fieldsOf(object, touched);
  pruneUnknownFields(schemaOf(info), part);
  for (const field of touched) if (Object.hasOwn(object, field) && !Object.hasOwn(part, field)) delete object[field];
}
