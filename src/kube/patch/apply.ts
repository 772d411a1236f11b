// Server-side apply (application/apply-patch+yaml) without field ownership conflicts: the applied configuration is
// merged into the live object by the schema's list types (map lists by their keys, sets unioned, atomic lists and
// maps replaced); fields the same manager applied before and no longer applies are removed.
import { fieldSchema, itemSchema, patchMetaOf, type Schema } from '../schema/index.js';
import { patchBadRequest } from './errors.js';
import type { FieldsV1 } from './fieldset.js';
import { listItemKey, setItemKey } from './fieldset.js';
import { clone, deepEqual, isObject, type JsonObject } from './json.js';

export interface ApplyOptions {
  /** The FieldsV1 this manager applied last time (its managedFields entry), for removing dropped fields. */
  previous?: FieldsV1;
  /** The FieldsV1 of the current applied configuration (from appliedFieldSet). Required with `previous`. */
  current?: FieldsV1;
}

/** Merges `applied` into `live` (undefined when the object does not exist yet). Inputs are not modified. */
export function apply(
  live: JsonObject | undefined,
  applied: unknown,
  schema: Schema | undefined,
  options: ApplyOptions = {},
): JsonObject {
  if (!isObject(applied)) throw patchBadRequest('error decoding apply patch: the body must be an object');
  const merged = mergeObject(live ? clone(live) : {}, applied, schema);
  if (options.previous) removeDropped(merged, options.previous, options.current ?? {}, schema);
  return merged;
}

function mergeValue(live: unknown, applied: unknown, field: Schema | undefined): unknown {
  const meta = patchMetaOf(field);
  if (isObject(applied)) {
    if (!isObject(live) || meta.mapType === 'atomic') return mergeObject({}, applied, field);
    return mergeObject(live, applied, field);
  }
  if (Array.isArray(applied)) {
    if (!Array.isArray(live)) return applied.map((item) => mergeValue(undefined, item, itemSchema(field)));
    if (meta.listType === 'map' && meta.listMapKeys) return mergeMapList(live, applied, field, meta.listMapKeys);
    if (meta.listType === 'set') return [...live, ...applied.filter((a) => !live.some((l) => deepEqual(l, a)))];
  }
  return clone(applied);
}

function mergeObject(live: JsonObject, applied: JsonObject, schema: Schema | undefined): JsonObject {
  for (const [key, value] of Object.entries(applied)) {
    if (value === null) delete live[key];
    else live[key] = mergeValue(live[key], value, fieldSchema(schema, key));
  }
  return live;
}

function sameKeys(a: unknown, b: unknown, keys: string[]): boolean {
  return (
    isObject(a) && isObject(b) && keys.every((k) => a[k] === undefined || b[k] === undefined || deepEqual(a[k], b[k]))
  );
}

/** list-type=map: items matched on the map keys merge; new items follow in applied order. */
function mergeMapList(live: unknown[], applied: unknown[], field: Schema | undefined, keys: string[]): unknown[] {
  const out = [...live];
  const items = itemSchema(field);
  for (const item of applied) {
    const at = out.findIndex((candidate) => sameKeys(candidate, item, keys));
    if (at >= 0) out[at] = mergeValue(out[at], item, items);
    else out.push(mergeValue(undefined, item, items));
  }
  return out;
}

/** Removes what `previous` named and `current` does not, descending where both still name a field. */
function removeDropped(value: unknown, previous: FieldsV1, current: FieldsV1, schema: Schema | undefined): void {
  for (const [element, below] of Object.entries(previous)) {
    if (element === '.') continue;
    const still = current[element];
    if (element.startsWith('f:') && isObject(value)) {
      const key = element.slice(2);
      if (!still) delete value[key];
      else if (Object.keys(below).length) removeDropped(value[key], below, still, fieldSchema(schema, key));
    } else if (Array.isArray(value)) {
      removeFromList(value, element, below, still, schema);
    }
  }
}

function removeFromList(
  list: unknown[],
  element: string,
  below: FieldsV1,
  still: FieldsV1 | undefined,
  schema: Schema | undefined,
) {
  const meta = patchMetaOf(schema);
  const at = list.findIndex((item) =>
    element.startsWith('k:') && isObject(item) && meta.listMapKeys
      ? listItemKey(item, meta.listMapKeys) === element
      : setItemKey(item) === element,
  );
  if (at < 0) return;
  if (!still) list.splice(at, 1);
  else removeDropped(list[at], below, still, itemSchema(schema));
}
