// Unknown-field detection for fieldValidation=Strict|Warn, with kube-apiserver's wording: each finding reads
// `unknown field "spec.template.spec.containers[0].foo"`; Strict joins them into one strict decoding error.
import { schemaForKind } from './load.js';
import type { Schema } from './types.js';
import { fieldSchema, itemSchema, keepsUnknownFields, resolve } from './walk.js';

/** Fields an embedded resource (x-kubernetes-embedded-resource) always accepts. */
const embeddedFields = new Set(['apiVersion', 'kind', 'metadata']);

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * Called for each field the schema does not know, with the object holding it and the field's dotted path (built
 * only for a finder that asks for paths: '' otherwise).
 */
interface OnUnknown {
  (holder: Record<string, unknown>, key: string, path: string): void;
  paths: boolean;
}

function visit(schema: Schema | undefined, value: unknown, path: string, onUnknown: OnUnknown): void {
  if (value === null || typeof value !== 'object' || !schema) return;
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    for (let i = 0; i < value.length; i++) visit(items, value[i], onUnknown.paths ? `${path}[${i}]` : '', onUnknown);
    return;
  }
  const keepsUnknown = keepsUnknownFields(schema);
  const embedded = schema['x-kubernetes-embedded-resource'] || resolve(schema)?.['x-kubernetes-embedded-resource'];
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    const childSchema = fieldSchema(schema, key);
    if (childSchema) visit(childSchema, child, onUnknown.paths ? join(path, key) : '', onUnknown);
    else if (!keepsUnknown && !(embedded && embeddedFields.has(key))) {
      onUnknown(value as Record<string, unknown>, key, onUnknown.paths ? join(path, key) : '');
    }
  }
}

/** Walks an object's top level; status is written by controllers through /status and is never judged here. */
function visitObject(schema: Schema | undefined, object: unknown, onUnknown: OnUnknown): void {
  if (!object || typeof object !== 'object' || Array.isArray(object)) return;
  for (const [key, child] of Object.entries(object)) {
    if (key === 'status') continue;
    const childSchema = fieldSchema(schema, key);
    if (childSchema) visit(childSchema, child, key, onUnknown);
    else if (schema && !keepsUnknownFields(schema)) onUnknown(object as Record<string, unknown>, key, key);
  }
}

/** Unknown fields of `object` under `schema`, as `unknown field "path"` texts, in the object's key order. */
export function unknownFieldsIn(schema: Schema | undefined, object: unknown): string[] {
  const found: string[] = [];
  const onUnknown = Object.assign((_holder: unknown, _key: string, path: string) => found.push(path), { paths: true });
  visitObject(schema, object, onUnknown);
  return found.map((path) => `unknown field "${path}"`);
}

const dropField = Object.assign(
  (holder: Record<string, unknown>, key: string) => {
    delete holder[key];
  },
  { paths: false },
);

/**
 * Drops the fields `schema` does not know from `object`, in place, as kube-apiserver's decoding does for built-in
 * kinds and its pruning for custom resources (x-kubernetes-preserve-unknown-fields keeps them).
 */
export function pruneUnknownFields(schema: Schema | undefined, object: unknown): void {
  visitObject(schema, object, dropField);
}

/** Unknown fields of a built-in kind's object; [] for kinds without a built-in schema. */
export function unknownFields(group: string, version: string, kind: string, object: unknown): string[] {
  const schema = schemaForKind(group, version, kind);
  return schema ? unknownFieldsIn(schema, object) : [];
}

/** The message of the 400 BadRequest kube-apiserver returns for fieldValidation=Strict. */
export function strictDecodingMessage(kind: string, version: string, findings: string[]): string {
  return `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${findings.join(', ')}`;
}
