// metadata.managedFields as kube-apiserver keeps them: who owns which field of an object. An Update (create, PUT,
// patch) gives its manager the fields it set or changed and takes them from every other manager; fields it removed
// leave every set. An Apply (server-side apply) owns exactly the fields of its configuration, and changing a field
// another manager owns is a conflict (409, the managers and fields named) unless forced, which moves the field.
import { isDeepStrictEqual } from 'node:util';
import { ApiError, statusFailure } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { appliedFieldSet, type FieldsV1 } from '../patch/fieldset.js';
import type { JsonObject } from '../patch/json.js';
import { nowTimestamp } from '../rest/context.js';
import type { Schema } from '../schema/index.js';
import { changedFields, removedFields } from './diff.js';
import { difference, intersection, isEmpty, leafPaths, union } from './sets.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Update' | 'Apply';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsV1;
  subresource?: string;
}

/** Who is writing, where: the manager's name, the API version it writes in, and the subresource (if any). */
export interface Writer {
  manager: string;
  apiVersion: string;
  subresource?: string;
  /** The kind has a status subresource: main-resource writes never own status, /status writes own only status. */
  hasStatus: boolean;
}

const serverSetMetadata = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];

const serverSet = new Set(serverSetMetadata);

/** The metadata fields a writer can own: all but the server-set ones (copied, never deleted from a copy). */
function ownableMetadata(metadata: JsonObject | undefined): JsonObject {
  const meta: JsonObject = {};
  for (const key of Object.keys(metadata ?? {})) {
    if (serverSet.has(key)) continue;
    const value = metadata![key];
    if (key === '__proto__')
      Object.defineProperty(meta, key, { value, enumerable: true, writable: true, configurable: true });
    else meta[key] = value;
  }
  return meta;
}

/** The part of an object a writer can own. */
function ownable(object: KubeObject | JsonObject | undefined, writer: Writer): JsonObject | undefined {
  if (!object) return undefined;
  const { apiVersion: _a, kind: _k, metadata, status, ...rest } = object as KubeObject;
  if (writer.hasStatus && writer.subresource === 'status') return status === undefined ? {} : { status };
  const meta = ownableMetadata(metadata as JsonObject | undefined);
  const out: JsonObject = rest;
  if (Object.keys(meta).length) out.metadata = meta;
  if (!writer.hasStatus && status !== undefined) out.status = status;
  return out;
}

/** A FieldsV1 tree: objects all the way down (a client can send anything in managedFields). */
function isFieldsV1(value: unknown): value is FieldsV1 {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every(isFieldsV1);
}

function entriesOf(object: KubeObject | undefined): ManagedFieldsEntry[] {
  const entries = object?.metadata?.managedFields;
  if (!Array.isArray(entries)) return [];
  return entries.filter(
    (e): e is ManagedFieldsEntry =>
      !!e &&
      typeof e === 'object' &&
      typeof (e as any).manager === 'string' &&
      ((e as any).operation === 'Update' || (e as any).operation === 'Apply') &&
      isFieldsV1((e as any).fieldsV1),
  );
}

/**
 * The stored object with the managed fields a write sent, when it sent a valid non-empty list (how kubectl moves
 * client-side apply ownership to server-side apply, and how a user edits them); else the stored ones, as
 * kube-apiserver's field manager decides.
 */
export function withManagedFieldsSent(old: KubeObject, sent: unknown): KubeObject {
  const entries = entriesOf({ metadata: { managedFields: sent } } as KubeObject);
  if (!Array.isArray(sent) || entries.length === 0 || entries.length !== sent.length) return old;
  return { ...old, metadata: { ...old.metadata, managedFields: entries } };
}

const sameWriter = (entry: ManagedFieldsEntry, writer: Writer, operation: ManagedFieldsEntry['operation']) =>
  entry.manager === writer.manager &&
  entry.operation === operation &&
  (entry.subresource ?? '') === (writer.subresource ?? '');

function entry(writer: Writer, operation: ManagedFieldsEntry['operation'], fields: FieldsV1): ManagedFieldsEntry {
  return {
    manager: writer.manager,
    operation,
    apiVersion: writer.apiVersion,
    time: nowTimestamp(),
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
    ...(writer.subresource ? { subresource: writer.subresource } : {}),
  };
}

/** Sets `next.metadata.managedFields` for an Update by `writer` of `old` (undefined on create) into `next`. */
export function recordUpdate(
  old: KubeObject | undefined,
  next: KubeObject,
  schema: Schema | undefined,
  writer: Writer,
) {
  const before = ownable(old, writer);
  const after = ownable(next, writer)!;
  const changed = changedFields(before, after, schema);
  const removed = before ? removedFields(before, after, schema) : {};
  const previous = entriesOf(old);
  if (isEmpty(changed) && isEmpty(removed)) {
    next.metadata.managedFields = previous;
    return;
  }
  const mine = previous.find((e) => sameWriter(e, writer, 'Update'));
  let others = previous.filter((e) => e !== mine);
  if (others.length > 0) {
    const taken = union(changed, removed);
    others = others.map((e) => ({ ...e, fieldsV1: difference(e.fieldsV1, taken) })).filter((e) => !isEmpty(e.fieldsV1));
  }
  // `changed` and `removed` are this write's own sets: used as they are, not copied (a create owns all it sets).
  const gained = mine ? union(mine.fieldsV1, changed) : changed;
  const owned = isEmpty(removed) ? gained : difference(gained, removed);
  next.metadata.managedFields = isEmpty(owned) ? others : [...others, entry(writer, 'Update', owned)];
}

/** Kube's printManager: the manager quoted, its subresource, and `using <apiVersion>` for Update managers. */
function printManager(e: ManagedFieldsEntry): string {
  let text = JSON.stringify(e.manager);
  if (e.subresource) text += ` with subresource ${JSON.stringify(e.subresource)}`;
  return e.operation === 'Update' ? `${text} using ${e.apiVersion}` : text;
}

function conflictError(object: KubeObject, conflicts: { entry: ManagedFieldsEntry; paths: string[] }[]): ApiError {
  const count = conflicts.reduce((n, c) => n + c.paths.length, 0);
  let message: string;
  if (count === 1)
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].entry)}: ${conflicts[0].paths[0]}`;
  else if (conflicts.length === 1) {
    message = `Apply failed with ${count} conflicts: conflicts with ${printManager(conflicts[0].entry)}:${conflicts[0].paths.map((p) => `\n- ${p}`).join('')}`;
  } else {
    message = `Apply failed with ${count} conflicts: ${conflicts
      .map((c) => `\n- conflicts with ${printManager(c.entry)}:${c.paths.map((p) => `\n  - ${p}`).join('')}`)
      .join('')}`;
  }
  const causes = conflicts.flatMap((c) =>
    c.paths.map((field) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(c.entry)}`,
      field,
    })),
  );
  const [group] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : [''];
  return new ApiError(
    statusFailure(409, 'Conflict', message, { name: object.metadata.name, group, kind: object.kind, causes }),
  );
}

/** What this manager applied last time, and every field the other managers own (an apply never removes those). */
export function previouslyApplied(live: KubeObject | undefined, writer: Writer): { mine?: FieldsV1; others: FieldsV1 } {
  const entries = entriesOf(live);
  const mine = entries.find((e) => sameWriter(e, writer, 'Apply'));
  const others = entries.filter((e) => e !== mine).reduce((all, e) => union(all, e.fieldsV1), {} as FieldsV1);
  return { mine: mine?.fieldsV1, others };
}

/** The FieldsV1 an applied configuration owns. */
export function appliedFields(config: JsonObject, schema: Schema | undefined, writer: Writer): FieldsV1 {
  return appliedFieldSet(ownable(config, writer) ?? {}, schema);
}

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * kube-apiserver's lastAppliedManager: `kubectl apply --server-side` over an object client-side apply made takes
 * the fields of its last-applied configuration without conflicts, so moving to server-side apply needs no force.
 */
function upgradesClientSideApply(
  live: KubeObject | undefined,
  overlaps: { fields: FieldsV1 }[],
  schema: Schema | undefined,
  writer: Writer,
): boolean {
  const annotation = live?.metadata?.annotations?.[lastApplied];
  if (writer.manager !== 'kubectl' || typeof annotation !== 'string' || !annotation) return false;
  let config: unknown;
  try {
    config = JSON.parse(annotation);
  } catch {
    return false;
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) return false;
  const allowed = appliedFields(config as JsonObject, schema, writer);
  return overlaps.every(({ fields }) => isEmpty(difference(fields, allowed)));
}

/**
 * Sets `merged.metadata.managedFields` for an Apply by `writer` of a configuration owning `applied` (appliedFields)
 * over `live` (undefined on create), or throws 409 Conflict naming every field another manager owns that the apply
 * changes, unless `force`.
 */
export function recordApply(
  live: KubeObject | undefined,
  applied: FieldsV1,
  merged: KubeObject,
  schema: Schema | undefined,
  writer: Writer,
  force: boolean,
): void {
  const changed = intersection(changedFields(ownable(live, writer), ownable(merged, writer)!, schema), applied);
  const previous = entriesOf(live);
  const mine = previous.find((e) => sameWriter(e, writer, 'Apply'));
  const others = previous.filter((e) => e !== mine);
  const overlaps = others.map((e) => ({ entry: e, fields: intersection(e.fieldsV1, changed) }));
  const conflicts = overlaps
    .map(({ entry, fields }) => ({ entry, paths: leafPaths(fields) }))
    .filter((c) => c.paths.length > 0);
  const upgrade = conflicts.length > 0 && upgradesClientSideApply(live, overlaps, schema, writer);
  if (conflicts.length && !force && !upgrade) throw conflictError(merged, conflicts);
  if (mine && isEmpty(changed) && isDeepStrictEqual(mine.fieldsV1, applied)) {
    merged.metadata.managedFields = previous;
    return;
  }
  const kept = others
    .map((e) => ({ ...e, fieldsV1: difference(e.fieldsV1, changed) }))
    .filter((e) => !isEmpty(e.fieldsV1));
  merged.metadata.managedFields = isEmpty(applied) ? kept : [...kept, entry(writer, 'Apply', applied)];
}
