// Walking a schema: resolving $ref (v2 #/definitions/ or v3 #/components/schemas/) and allOf, and stepping to a
// field, a map value or a list item, the way the patch and validation code descends an object. Schemas are never
// changed once built, so each ref's name and each schema's resolved form are worked out once and remembered.
import { definitions } from './load.js';
import type { PathStep, Schema } from './types.js';

const refPrefixes = ['#/definitions/', '#/components/schemas/'];

const namesOfRefs = new Map<string, string | undefined>();

export function definitionNameOfRef(ref: string): string | undefined {
  if (namesOfRefs.has(ref)) return namesOfRefs.get(ref);
  const prefix = refPrefixes.find((p) => ref.startsWith(p));
  const name = prefix ? ref.slice(prefix.length) : undefined;
  namesOfRefs.set(ref, name);
  return name;
}

const resolved = new WeakMap<Schema, Schema | null>();

/** Follows $ref chains (and a lone allOf wrapper, as v3 documents write refs) to the schema that has the shape. */
export function resolve(schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  const known = resolved.get(schema);
  if (known !== undefined) return known ?? undefined;
  const found = follow(schema);
  resolved.set(schema, found ?? null);
  return found;
}

function follow(schema: Schema | undefined): Schema | undefined {
  for (let depth = 0; schema && depth < 32; depth++) {
    if (schema.$ref) {
      const name = definitionNameOfRef(schema.$ref);
      schema = name ? definitions()[name] : undefined;
    } else if (schema.allOf?.length === 1 && !schema.properties && !schema.type) {
      schema = schema.allOf[0];
    } else {
      return schema;
    }
  }
  return schema;
}

function ownProperty(schema: Schema, name: string): Schema | undefined {
  const direct = schema.properties && Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
  if (direct) return direct;
  for (const part of schema.allOf ?? []) {
    const resolved = resolve(part);
    const found = resolved && ownProperty(resolved, name);
    if (found) return found;
  }
  return undefined;
}

/** The schema of field `name` (a declared property, else the map value schema), unresolved so its extensions show. */
export function fieldSchema(schema: Schema | undefined, name: string): Schema | undefined {
  const resolved = resolve(schema);
  if (!resolved) return undefined;
  const property = ownProperty(resolved, name);
  if (property) return property;
  return typeof resolved.additionalProperties === 'object' ? resolved.additionalProperties : undefined;
}

/** The schema of a list's items. */
export function itemSchema(schema: Schema | undefined): Schema | undefined {
  return resolve(schema)?.items;
}

/** Descends `path` (field names and list indices) from `schema`; undefined once the schema says nothing more. */
export function schemaAt(schema: Schema | undefined, path: PathStep[]): Schema | undefined {
  for (const step of path) {
    if (!schema) return undefined;
    schema = typeof step === 'number' ? itemSchema(schema) : fieldSchema(schema, step);
  }
  return schema;
}

/** True when a level keeps fields its schema does not declare (preserve-unknown-fields or a free-form object). */
export function keepsUnknownFields(schema: Schema | undefined): boolean {
  if (!schema) return true;
  if (schema['x-kubernetes-preserve-unknown-fields']) return true;
  const resolved = resolve(schema);
  if (!resolved || resolved['x-kubernetes-preserve-unknown-fields']) return true;
  if (resolved.additionalProperties === true) return true;
  const hasShape = resolved.properties || resolved.allOf?.some((s) => resolve(s)?.properties);
  return !hasShape && typeof resolved.additionalProperties !== 'object';
}
