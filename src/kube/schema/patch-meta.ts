// Patch metadata of a field: merge key, patch strategies, list type and map keys, map type. A property's own
// extensions win over those of the definition its $ref points at. Each field's metadata is read once and shared
// (frozen: callers only read it).
import type { PatchMeta, PathStep, Schema } from './types.js';
import { resolve, schemaAt } from './walk.js';

function extension<K extends keyof Schema>(field: Schema, resolved: Schema | undefined, key: K): Schema[K] {
  return field[key] ?? resolved?.[key];
}

const metaOfField = new WeakMap<Schema, PatchMeta>();

/** The patch metadata carried by one field's schema. */
export function patchMetaOf(field: Schema | undefined): PatchMeta {
  if (!field) return { patchStrategies: [] };
  let meta = metaOfField.get(field);
  if (!meta) {
    meta = readPatchMeta(field);
    Object.freeze(meta.patchStrategies);
    metaOfField.set(field, Object.freeze(meta));
  }
  return meta;
}

function readPatchMeta(field: Schema): PatchMeta {
  const resolved = resolve(field);
  const strategy = extension(field, resolved, 'x-kubernetes-patch-strategy');
  const meta: PatchMeta = { patchStrategies: strategy ? strategy.split(',').map((s) => s.trim()) : [] };
  const mergeKey = extension(field, resolved, 'x-kubernetes-patch-merge-key');
  if (mergeKey) meta.patchMergeKey = mergeKey;
  const listType = extension(field, resolved, 'x-kubernetes-list-type');
  if (listType) meta.listType = listType;
  const mapKeys = extension(field, resolved, 'x-kubernetes-list-map-keys');
  if (mapKeys) meta.listMapKeys = mapKeys;
  const mapType = extension(field, resolved, 'x-kubernetes-map-type');
  if (mapType) meta.mapType = mapType;
  return meta;
}

/** The patch metadata of the field at `path` below `schema` (e.g. ['spec', 'template', 'spec', 'containers']). */
export function patchMetaAt(schema: Schema | undefined, path: PathStep[]): PatchMeta {
  return patchMetaOf(schemaAt(schema, path));
}
