// Field sets in managedFields' FieldsV1 form (f:<field>, k:<list-map keys>, v:<set value>, "." for the item
// itself): which fields an applied configuration sets, so a later apply by the same manager can drop the rest.
import { fieldSchema, itemSchema, patchMetaOf, type Schema } from '../schema/index.js';
import { isObject, type JsonObject } from './json.js';

export type FieldsV1 = { [path: string]: FieldsV1 };

function sortedJson(value: unknown): string {
  if (!isObject(value)) return JSON.stringify(value);
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${sortedJson(value[k])}`)
    .join(',')}}`;
}

/** The `k:` element of a list-map item: its key fields as JSON with sorted keys. */
export function listItemKey(item: JsonObject, mapKeys: string[]): string {
  const keys: JsonObject = {};
  for (const k of mapKeys) if (item[k] !== undefined) keys[k] = item[k];
  return `k:${sortedJson(keys)}`;
}

export function setItemKey(item: unknown): string {
  return `v:${sortedJson(item)}`;
}

function listFields(list: unknown[], field: Schema | undefined): FieldsV1 {
  const meta = patchMetaOf(field);
  const items = itemSchema(field);
  const out: FieldsV1 = {};
  if (meta.listType === 'map' && meta.listMapKeys) {
    for (const item of list)
      if (isObject(item)) out[listItemKey(item, meta.listMapKeys)] = { '.': {}, ...objectFields(item, items) };
  } else if (meta.listType === 'set') {
    for (const item of list) out[setItemKey(item)] = {};
  }
  return out;
}

/** Every field `object` sets, as FieldsV1 (nulls are not set). */
export function objectFields(object: JsonObject, schema: Schema | undefined): FieldsV1 {
  const out: FieldsV1 = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === null || value === undefined) continue;
    out[`f:${key}`] = valueFields(value, fieldSchema(schema, key));
  }
  return out;
}

/** The fields below one set (non-null) value whose schema is `field`: a list's items, a granular map's fields. */
export function valueFields(value: unknown, field: Schema | undefined): FieldsV1 {
  if (Array.isArray(value)) return listFields(value, field);
  if (isObject(value) && patchMetaOf(field).mapType !== 'atomic') return objectFields(value, field);
  return {};
}

/** The fields `applied` sets, as FieldsV1 (the managedFields entry of an Apply operation). */
export function appliedFieldSet(applied: JsonObject, schema: Schema | undefined): FieldsV1 {
  const { apiVersion: _a, kind: _k, ...rest } = applied;
  const fields = objectFields(rest, schema);
  const metadata = fields['f:metadata'];
  if (metadata) {
    delete metadata['f:name'];
    delete metadata['f:namespace'];
    if (Object.keys(metadata).length === 0) delete fields['f:metadata'];
  }
  return fields;
}
