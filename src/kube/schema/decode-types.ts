// The JSON types a body must have to decode into a kind's Go structs, checked against the kind's schema the way
// kube-apiserver's decoder (encoding/json) fails: the first value of the wrong type anywhere in the object, named as
// UnmarshalTypeError names it — the JSON type found, the innermost Go struct, the field's path and the Go type.
// `null` list items of struct type become the zero struct, as the decoder makes them.

import type { Schema } from './types.js';
import { definitionNameOfRef, resolve } from './walk.js';

/** One value that cannot be decoded: `json: cannot unmarshal <value> into Go struct field <struct>.<field> of type <goType>`. */
export interface DecodeTypeError {
  value: string;
  struct: string;
  field: string;
  goType: string;
}

export function decodeTypeMessage(error: DecodeTypeError): string {
  return `json: cannot unmarshal ${error.value} into Go struct field ${error.struct}.${error.field} of type ${error.goType}`;
}

/** Definitions whose Go types decode themselves (UnmarshalJSON) and accept more than their schema's `type` says. */
const selfDecoding: Record<string, (value: unknown) => boolean> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': (v) => typeof v === 'string' || Number.isInteger(v),
  'io.k8s.apimachinery.pkg.api.resource.Quantity': (v) => typeof v === 'string' || typeof v === 'number',
  'io.k8s.apimachinery.pkg.runtime.RawExtension': () => true,
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': () => true,
};

/** Named Go string types the schema cannot tell from plain strings, by definition and field. */
const namedStrings = new Map<string, Record<string, string>>([
  ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', { uid: 'types.UID' }],
  ['io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference', { uid: 'types.UID' }],
  ['io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions', { uid: 'types.UID' }],
  ['io.k8s.api.core.v1.ObjectReference', { uid: 'types.UID' }],
]);

/** Go's name for a definition: the package's last element and the type, e.g. `v1.ServiceSpec`. */
function goNameOfDefinition(name: string): string {
  const parts = name.split('.');
  return `${parts.at(-2)}.${parts.at(-1)}`;
}

const structNameOf = (definition: string) => definition.split('.').at(-1) ?? definition;

/** JSON's name for a value's type, as UnmarshalTypeError writes it (a number an integer field refuses carries its text). */
function jsonTypeOf(value: unknown, schema: Schema): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return resolve(schema)?.type === 'integer' ? `number ${String(value)}` : 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

const intRanges: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 63), 2 ** 63],
};

/** The Go type a schema decodes into, for the message. */
function goTypeOf(schema: Schema): string {
  const definition = schema.$ref ? definitionNameOfRef(schema.$ref) : undefined;
  if (definition) return goNameOfDefinition(definition);
  const resolved = resolve(schema) ?? schema;
  switch (resolved.type) {
    case 'string':
      return resolved.format === 'byte' ? '[]uint8' : 'string';
    case 'integer':
      return resolved.format === 'int32' || resolved.format === 'int64' ? resolved.format : 'int';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${resolved.items ? goTypeOf(resolved.items) : 'interface {}'}`;
    case 'object':
      return typeof resolved.additionalProperties === 'object'
        ? `map[string]${goTypeOf(resolved.additionalProperties)}`
        : 'map[string]interface {}';
    default:
      return 'interface {}';
  }
}

/** Whether a non-null value has the JSON shape a schema's type asks for (numbers also by range and integrality). */
function fits(schema: Schema, value: unknown): boolean {
  switch (schema.type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'integer': {
      if (!Number.isInteger(value)) return false;
      const range = intRanges[schema.format ?? 'int64'] ?? intRanges.int64;
      return (value as number) >= range[0] && (value as number) < range[1] + 1;
    }
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}

/**
 * A value of the wrong type, as found deep in a walk: the field names down to it are gathered on the way back up
 * (innermost first), so a walk that finds nothing builds no path at all.
 */
interface Found {
  value: string;
  struct: string;
  goType: string;
  keys: string[];
}

/** What the check needs of one schema node, worked out once per node (schemas never change once built). */
interface Node {
  /** The Go type decodes itself: its own test of a value. */
  custom?: (value: unknown) => boolean;
  /** The resolved schema; undefined when the node takes any value (none, preserve-unknown-fields, int-or-string). */
  resolved?: Schema;
  /** The Go struct the node's fields belong to, when it names one. */
  struct?: string;
  /** Named string types of its fields. */
  named?: Record<string, string>;
}

const nodes = new WeakMap<Schema, Node>();

function nodeOf(schema: Schema): Node {
  let node = nodes.get(schema);
  if (node) return node;
  const definition = schema.$ref ? definitionNameOfRef(schema.$ref) : undefined;
  const custom = definition ? selfDecoding[definition] : undefined;
  const resolved = resolve(schema);
  const open = !resolved || resolved['x-kubernetes-preserve-unknown-fields'] || resolved['x-kubernetes-int-or-string'];
  node = custom
    ? { custom }
    : {
        resolved: open ? undefined : resolved,
        struct: definition && resolved?.properties ? structNameOf(definition) : undefined,
        named: definition ? namedStrings.get(definition) : undefined,
      };
  nodes.set(schema, node);
  return node;
}

/**
 * The first value under `value` that `schema` refuses. `struct` is the innermost Go struct around it, `goType` the
 * field's Go type when the schema alone cannot say it (a named string type).
 */
function check(schema: Schema | undefined, value: unknown, struct: string, goType?: string): Found | undefined {
  if (!schema || value === null || value === undefined) return undefined;
  const node = nodeOf(schema);
  if (node.custom) {
    return node.custom(value) ? undefined : mismatch(schema, value, struct, goType);
  }
  const resolved = node.resolved;
  if (!resolved) return undefined;
  if (!fits(resolved, value)) return mismatch(schema, value, struct, goType);
  if (Array.isArray(value)) {
    const items = resolved.items;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null && items && resolve(items)?.properties) value[i] = {};
      const found = check(items, value[i], struct, goType);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object') return undefined;
  const properties = resolved.properties;
  const inner = node.struct ?? struct;
  const named = node.named;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const child = object[key];
    const property = properties && Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (property) {
      if (child === null || child === undefined) continue;
      const found = check(property, child, inner, named && Object.hasOwn(named, key) ? named[key] : undefined);
      if (found) {
        found.keys.push(key);
        return found;
      }
    } else if (typeof resolved.additionalProperties === 'object') {
      const found = check(resolved.additionalProperties, child, struct, goType);
      if (found) return found;
    }
  }
  return undefined;
}

function mismatch(schema: Schema, value: unknown, struct: string, goType: string | undefined): Found {
  return { value: jsonTypeOf(value, schema), struct, goType: goType ?? goTypeOf(schema), keys: [] };
}

const refs = new Map<string, Schema>();
const tops = new WeakMap<Schema, Schema>();

/** `{ $ref }` to a definition, made once per definition. */
function refTo(definition: string): Schema {
  let ref = refs.get(definition);
  if (!ref) {
    ref = { $ref: `#/definitions/${definition}` };
    refs.set(definition, ref);
  }
  return ref;
}

/** A definition's schema as the top of a walk (its own $ref, if any, not followed), made once per schema. */
function withoutRef(schema: Schema): Schema {
  let top = tops.get(schema);
  if (!top) {
    top = { ...schema, $ref: undefined };
    tops.set(schema, top);
  }
  return top;
}

/**
 * The first value of `object` that would not decode into the Go struct of the definition `definition` (whose schema
 * is `schema`), or undefined; `at` is where the object sits in its parent (`metadata` for an ObjectMeta). Unknown
 * fields are not type errors (fieldValidation reports them). A `null` item of a list of structs becomes `{}` in
 * place, the zero struct Go's decoder makes of it, so later steps see what kube-apiserver's would.
 */
export function decodeTypeError(
  definition: string,
  schema: Schema,
  object: unknown,
  at: string[] = [],
): DecodeTypeError | undefined {
  const top = at.length ? refTo(definition) : withoutRef(schema);
  const found = check(top, object, structNameOf(definition));
  if (!found) return undefined;
  const { value, struct, goType, keys } = found;
  return { value, struct, field: [...at, ...keys.reverse()].join('.'), goType };
}
