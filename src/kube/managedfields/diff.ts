// Which fields a write sets or changes, as FieldsV1: every field of the new object that the old one lacks or holds
// with another value, walking maps by key, list-map items by their keys and sets by value (atomic lists and maps
// count as one field), as structured-merge-diff compares two versions of an object. And which fields a write
// removes, walking only where the two versions differ.
import { type FieldsV1, listItemKey, objectFields, setItemKey, valueFields } from '../patch/fieldset.js';
import { deepEqual, isObject, type JsonObject } from '../patch/json.js';
import { fieldSchema, itemSchema, patchMetaOf, type Schema } from '../schema/index.js';
import { difference, isEmpty } from './sets.js';

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

const isSet = (value: unknown) => value !== null && value !== undefined;

/** Whether an object sets any field (its FieldsV1 is not empty). */
function setsAnything(object: JsonObject): boolean {
  for (const key of Object.keys(object)) if (isSet(object[key])) return true;
  return false;
}

/**
 * The fields `old` sets that `next` does not: `difference(objectFields(old), objectFields(next))`, without the
 * field sets of what both hold alike (equal values remove nothing).
 */
export function removedFields(old: JsonObject, next: JsonObject, schema: Schema | undefined): FieldsV1 {
  const out: FieldsV1 = {};
  for (const [key, value] of Object.entries(old)) {
    if (!isSet(value)) continue;
    const now = Object.hasOwn(next, key) ? next[key] : undefined;
    if (now === value) continue;
    const field = fieldSchema(schema, key);
    if (!isSet(now)) {
      out[`f:${key}`] = valueFields(value, field);
      continue;
    }
    if (deepEqual(value, now)) continue;
    const granular = patchMetaOf(field).mapType !== 'atomic';
    if (granular && isObject(value) && isObject(now)) {
      const below = removedFields(value, now, field);
      if (!isEmpty(below)) out[`f:${key}`] = below;
      else if (!setsAnything(value) && setsAnything(now)) out[`f:${key}`] = {};
      continue;
    }
    const was = valueFields(value, field);
    const is = valueFields(now, field);
    if (isEmpty(was)) {
      if (!isEmpty(is)) out[`f:${key}`] = {};
    } else {
      const below = difference(was, is);
      if (!isEmpty(below)) out[`f:${key}`] = below;
    }
  }
  return out;
}
