// Strategic merge patch (application/strategic-merge-patch+json) as kube-apiserver applies it: maps merged, lists
// merged or replaced by the field's x-kubernetes-patch-strategy and merge key, null deletes, and the directives
// $patch, $retainKeys, $setElementOrder/<field> and $deleteFromPrimitiveList/<field>.
import { fieldSchema, itemSchema, patchMetaOf, type Schema } from '../schema/index.js';
import { mergePatchErrors, patchBadRequest } from './errors.js';
import { clone, isObject, type JsonObject, jsonKind } from './json.js';
import { deleteFromList, mergeList, normalizeOrder } from './strategic-list.js';

const setElementOrderPrefix = '$setElementOrder/';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList/';

/** Applies `patch` to `original` (neither is modified) using the kind's schema for merge keys and strategies. */
export function strategicMergePatch(original: unknown, patch: unknown, schema: Schema | undefined): JsonObject {
  if (!isObject(patch)) throw patchBadRequest(mergePatchErrors.badJsonDoc);
  return mergeMap(isObject(original) ? clone(original) : {}, clone(patch), schema);
}

function mergeMap(original: JsonObject, patch: JsonObject, schema: Schema | undefined): JsonObject {
  if (Object.hasOwn(patch, '$patch')) {
    const directive = patch.$patch;
    delete patch.$patch;
    if (directive === 'replace') return mergeMap({}, patch, schema);
    if (directive === 'delete') return {};
    if (directive !== 'merge') {
      throw patchBadRequest(`unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
    }
  }
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, schema);
  for (const [patchKey, value] of Object.entries(patch)) {
    const deleteList = patchKey.startsWith(deleteFromPrimitiveListPrefix);
    const key = deleteList ? patchKey.slice(deleteFromPrimitiveListPrefix.length) : patchKey;
    if (value === null) {
      delete original[key];
      continue;
    }
    const field = fieldSchema(schema, key);
    const current = original[key];
    if (current === undefined || current === null || jsonKind(current) !== jsonKind(value)) {
      if (!deleteList) original[key] = fresh(value, field);
    } else if (Array.isArray(current)) {
      original[key] = deleteList ? deleteFromList(current, value) : mergeListField(current, value as unknown[], field);
    } else if (isObject(current)) {
      const replace = patchMetaOf(field).patchStrategies.includes('replace');
      original[key] = replace ? fresh(value, field) : mergeMap(current, value as JsonObject, field);
    } else {
      original[key] = value;
    }
  }
  return original;
}

/** A value for a field the original lacks: the patch value with its directives resolved against nothing. */
function fresh(value: unknown, field: Schema | undefined): unknown {
  if (isObject(value)) return mergeMap({}, value, field);
  if (Array.isArray(value)) return mergeListField([], value, field);
  return value;
}

function mergeListField(original: unknown[], patch: unknown[], field: Schema | undefined): unknown[] {
  const meta = patchMetaOf(field);
  if (!meta.patchStrategies.includes('merge')) return patch.map((item) => fresh(item, itemSchema(field)));
  return mergeList(original, patch, itemSchema(field), meta.patchMergeKey, mergeMap);
}

/** `$retainKeys`: clears every original key the list does not name (the retainKeys patch strategy). */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, '$retainKeys')) return;
  const retain = patch.$retainKeys;
  delete patch.$retainKeys;
  if (!Array.isArray(retain)) throw patchBadRequest(mergePatchErrors.badRetainKeys);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(deleteFromPrimitiveListPrefix) || key.startsWith(setElementOrderPrefix))
      continue;
    if (!retain.includes(key)) throw patchBadRequest(mergePatchErrors.badRetainKeys);
  }
  for (const key of Object.keys(original)) if (!retain.includes(key)) delete original[key];
}

/** `$setElementOrder/<field>`: merges that field's list now and orders it by the directive. */
function applySetElementOrder(original: JsonObject, patch: JsonObject, schema: Schema | undefined): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(setElementOrderPrefix)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw patchBadRequest(mergePatchErrors.badSetElementOrder);
    const key = directiveKey.slice(setElementOrderPrefix.length);
    const live = original[key];
    const patchList = patch[key];
    if (patchList === null) continue;
    if ((live !== undefined && !Array.isArray(live)) || (patchList !== undefined && !Array.isArray(patchList))) {
      throw patchBadRequest(mergePatchErrors.badSetElementOrder);
    }
    if (live === undefined && patchList === undefined) continue;
    const field = fieldSchema(schema, key);
    const liveList = live ?? [];
    const merged = patchList === undefined ? liveList : mergeListField(liveList, patchList, field);
    original[key] = normalizeOrder(merged, order, liveList, patchMetaOf(field).patchMergeKey);
    delete patch[key];
  }
}
