// List merging for strategic merge patch: lists of maps merged on their merge key (with `$patch: delete|replace`
// elements), lists of primitives unioned or reduced by `$deleteFromPrimitiveList`, and the element order rules
// ($setElementOrder first, then the patch's order, with server-only items kept where the live list had them).
import type { Schema } from '../schema/index.js';
import { mergePatchErrors, patchBadRequest } from './errors.js';
import { deepEqual, isObject, type JsonObject, jsonKind } from './json.js';

export type MapMerger = (original: JsonObject, patch: JsonObject, schema: Schema | undefined) => JsonObject;

function elementKind(original: unknown[], patch: unknown[]): string {
  const kinds = new Set([...original, ...patch].map(jsonKind));
  if (kinds.has('array')) throw patchBadRequest(mergePatchErrors.noListOfLists);
  if (kinds.size > 1) throw patchBadRequest(`list elements have different types: ${[...kinds].join(', ')}`);
  return [...kinds][0] ?? 'null';
}

function keyOf(item: unknown, mergeKey: string | undefined): unknown {
  if (!mergeKey) return item;
  if (!isObject(item) || !Object.hasOwn(item, mergeKey)) {
    throw patchBadRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
  }
  return item[mergeKey];
}

export function indexIn(list: unknown[], item: unknown, mergeKey: string | undefined): number {
  const key = keyOf(item, mergeKey);
  return list.findIndex((candidate) => {
    if (!mergeKey) return deepEqual(candidate, key);
    return isObject(candidate) && Object.hasOwn(candidate, mergeKey) && deepEqual(candidate[mergeKey], key);
  });
}

/** Items of `list` found in `by` (by merge key), and the rest. */
export function partition(list: unknown[], by: unknown[], mergeKey: string | undefined): [unknown[], unknown[]] {
  const present: unknown[] = [];
  const absent: unknown[] = [];
  for (const item of list) (indexIn(by, item, mergeKey) >= 0 ? present : absent).push(item);
  return [present, absent];
}

/** Stable sort of `list` by position in `order`; items `order` lacks keep their place at the end. */
function sortBy(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const position = (item: unknown) => {
    const i = indexIn(order, item, mergeKey);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return list
    .map((item, i) => ({ item, i, at: position(item) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((e) => e.item);
}

/**
 * Interleaves server-only items into the patch items: each server-only item goes before the first patch item the
 * live list had after it. Relative orders of both inputs are kept.
 */
function interleave(serverOnly: unknown[], patchItems: unknown[], live: unknown[], mergeKey: string | undefined) {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (i >= serverOnly.length) out.push(patchItems[j++]);
    else if (j >= patchItems.length) out.push(serverOnly[i++]);
    else {
      const li = indexIn(live, serverOnly[i], mergeKey);
      const ri = indexIn(live, patchItems[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++]);
      else out.push(patchItems[j++]);
    }
  }
  return out;
}

/** Orders `merged`: items named in `patchOrder` by that order, the others by `liveOrder`, interleaved. */
export function normalizeOrder(merged: unknown[], patchOrder: unknown[], liveOrder: unknown[], mergeKey?: string) {
  const [patchItems, serverOnly] = partition(merged, patchOrder, mergeKey);
  return interleave(
    sortBy(serverOnly, liveOrder, mergeKey),
    sortBy(patchItems, patchOrder, mergeKey),
    liveOrder,
    mergeKey,
  );
}

/** Applies `$patch` elements: delete removes the matching original item, replace drops the original list. */
function applySpecialElements(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const plain: unknown[] = [];
  let replace = false;
  for (const item of patch) {
    const directive = isObject(item) ? item.$patch : undefined;
    if (directive === undefined) plain.push(item);
    else if (directive === 'delete') {
      const key = keyOf(item, mergeKey);
      original = original.filter((o) => !(isObject(o) && deepEqual(o[mergeKey], key)));
    } else if (directive === 'replace') replace = true;
    else if (directive === 'merge') throw patchBadRequest('merging lists cannot yet be specified in the patch');
    else throw patchBadRequest(`unknown patch type: ${String(directive)} in map: ${JSON.stringify(item)}`);
  }
  return replace ? [plain, []] : [original, plain];
}

/** mergeSlice of apimachinery's strategicpatch, for a field whose strategy is merge. */
export function mergeList(
  original: unknown[],
  patch: unknown[],
  items: Schema | undefined,
  mergeKey: string | undefined,
  mergeMap: MapMerger,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  if (elementKind(original, patch) !== 'object') {
    const merged: unknown[] = [];
    for (const item of [...original, ...patch]) if (indexIn(merged, item, undefined) < 0) merged.push(item);
    return normalizeOrder(merged, patch, original);
  }
  if (!mergeKey) throw patchBadRequest('cannot merge lists without merge key');
  [original, patch] = applySpecialElements(original, patch, mergeKey);
  const merged = [...original];
  for (const item of patch) {
    const at = indexIn(merged, item, mergeKey);
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, item as JsonObject, items);
    else merged.push(mergeMap({}, item as JsonObject, items));
  }
  return normalizeOrder(merged, patch, original, mergeKey);
}

/** `$deleteFromPrimitiveList/<field>`: removes every listed value. */
export function deleteFromList(original: unknown[], toDelete: unknown): unknown[] {
  if (!Array.isArray(toDelete)) throw patchBadRequest(mergePatchErrors.badPrimitiveList);
  return original.filter((item) => !toDelete.some((d) => deepEqual(d, item)));
}
