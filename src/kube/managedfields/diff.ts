// Which fields a write sets or changes, as FieldsV1: every field of the new object that the old one lacks or holds
// with another value, walking maps by key, list-map items by their keys and sets by value (atomic lists and maps
// count as one field), as structured-merge-diff compares two versions of an object.
import { type FieldsV1, listItemKey, objectFields, setItemKey } from '../patch/fieldset.js';
import { deepEqual, isObject, type JsonObject } from '../patch/json.js';
import { fieldSchema, itemSchema, patchMetaOf, type Schema } from '../schema/index.js';

function changedInList(old: unknown[], next: unknown[], field: Schema | undefined): FieldsV1 | undefined {
  const meta = patchMetaOf(field);
  if (meta.listType === 'map' && meta.listMapKeys) {
    const keys = meta.listMapKeys;
    const items = itemSchema(field);
    const before = new Map<string, unknown>();
    for (const item of old) if (isObject(item)) before.set(listItemKey(item, keys), item);
    const out: FieldsV1 = {};
    for (const item of next) {
      if (!isObject(item)) continue;
      const key = listItemKey(item, keys);
      const was = before.get(key);
      if (!isObject(was)) out[key] = { '.': {}, ...objectFields(item, items) };
      else {
        const below = changedInObject(was, item, items);
        if (Object.keys(below).length) out[key] = below;
      }
    }
    return out;
  }
  if (meta.listType === 'set') {
    const out: FieldsV1 = {};
    for (const item of next) if (!old.some((o) => deepEqual(o, item))) out[setItemKey(item)] = {};
    return out;
  }
  return deepEqual(old, next) ? undefined : {};
}

function changedInObject(old: JsonObject, next: JsonObject, schema: Schema | undefined): FieldsV1 {
  const out: FieldsV1 = {};
  for (const [key, value] of Object.entries(next)) {
    if (value === null || value === undefined) continue;
    const was = old[key];
    if (deepEqual(was, value)) continue;
    const field = fieldSchema(schema, key);
    const meta = patchMetaOf(field);
    if (Array.isArray(value) && Array.isArray(was)) {
      const below = changedInList(was, value, field);
      if (below) out[`f:${key}`] = below;
    } else if (isObject(value) && isObject(was) && meta.mapType !== 'atomic') {
      const below = changedInObject(was, value, field);
      out[`f:${key}`] = Object.keys(below).length ? below : {};
    } else if (Array.isArray(value)) {
      out[`f:${key}`] = objectFields({ [key]: value }, schema)[`f:${key}`] ?? {};
    } else if (isObject(value) && meta.mapType !== 'atomic') {
      out[`f:${key}`] = objectFields(value, field);
    } else {
      out[`f:${key}`] = {};
    }
  }
  return out;
}

/** The fields `next` sets that `old` (undefined: nothing) lacks or holds with another value. */
export function changedFields(old: JsonObject | undefined, next: JsonObject, schema: Schema | undefined): FieldsV1 {
  return old ? changedInObject(old, next, schema) : objectFields(next, schema);
}
