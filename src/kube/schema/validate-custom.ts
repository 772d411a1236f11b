// A custom resource checked against its CRD's structural schema, as kube-apiserver's apiextensions validation does
// it, with kube-openapi's wording in field causes: types (`spec.size in body must be of type integer: "string"`),
// required fields, enums, numeric bounds, string lengths and patterns, list sizes and uniqueness, and nullable.
// apiVersion, kind and metadata are the server's own and are checked elsewhere.
import type { FieldCause } from '../api/errors.js';
import type { Schema } from './types.js';

interface Constraints extends Schema {
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
}

/** The JSON Schema type name of a value, as kube-openapi reports the type it found. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

function typeMatches(type: string, value: unknown): boolean {
  const found = typeName(value);
  return type === found || (type === 'number' && found === 'integer');
}

/** Go's %v of a value in an `Invalid value:` cause: strings quoted, numbers and booleans bare. */
function shown(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(value)
    : typeof value === 'object'
      ? `"${typeName(value)}"`
      : String(value);
}

const invalid = (field: string, value: unknown, detail: string): FieldCause => ({
  field,
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${shown(value)}: ${detail}`,
});

function checkNumber(s: Constraints, value: number, field: string, causes: FieldCause[]): void {
  if (s.maximum !== undefined && (s.exclusiveMaximum ? value >= s.maximum : value > s.maximum)) {
    const relation = s.exclusiveMaximum ? 'less than' : 'less than or equal to';
    causes.push(invalid(field, value, `${field} in body should be ${relation} ${s.maximum}`));
  }
  if (s.minimum !== undefined && (s.exclusiveMinimum ? value <= s.minimum : value < s.minimum)) {
    const relation = s.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
    causes.push(invalid(field, value, `${field} in body should be ${relation} ${s.minimum}`));
  }
  if (s.multipleOf !== undefined && s.multipleOf > 0 && !Number.isInteger(value / s.multipleOf)) {
    causes.push(invalid(field, value, `${field} in body should be a multiple of ${s.multipleOf}`));
  }
}

function checkString(s: Constraints, value: string, field: string, causes: FieldCause[]): void {
  const length = [...value].length;
  if (s.maxLength !== undefined && length > s.maxLength) {
    causes.push({ field, reason: 'FieldValueTooLong', message: `Too long: may not be more than ${s.maxLength} bytes` });
  }
  if (s.minLength !== undefined && length < s.minLength) {
    causes.push(invalid(field, value, `${field} in body should be at least ${s.minLength} chars long`));
  }
  if (s.pattern !== undefined) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(s.pattern, 'u');
    } catch {
      pattern = undefined;
    }
    if (pattern && !pattern.test(value)) {
      causes.push(invalid(field, value, `${field} in body should match '${s.pattern}'`));
    }
  }
}

function checkList(s: Constraints, value: unknown[], field: string, causes: FieldCause[]): void {
  if (s.maxItems !== undefined && value.length > s.maxItems) {
    causes.push({
      field,
      reason: 'FieldValueTooMany',
      message: `Too many: ${value.length}: must have at most ${s.maxItems} items`,
    });
  }
  if (s.minItems !== undefined && value.length < s.minItems) {
    causes.push(invalid(field, value, `${field} in body should have at least ${s.minItems} items`));
  }
  if (s.uniqueItems || s['x-kubernetes-list-type'] === 'set') {
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const key = JSON.stringify(item);
      if (seen.has(key)) {
        causes.push({
          field: `${field}[${i}]`,
          reason: 'FieldValueDuplicate',
          message: `Duplicate value: ${shown(item)}`,
        });
      }
      seen.add(key);
    });
  }
}

function visit(s: Constraints | undefined, value: unknown, field: string, causes: FieldCause[]): void {
  if (!s || (s['x-kubernetes-preserve-unknown-fields'] && !s.type)) return;
  if (value === null) {
    if (!s.nullable && s.type) causes.push(invalid(field, value, `${field} in body must be of type ${s.type}: "null"`));
    return;
  }
  if (s['x-kubernetes-int-or-string']) {
    if (!Number.isInteger(value) && typeof value !== 'string') {
      causes.push(invalid(field, value, `${field} in body must be of type integer,string: "${typeName(value)}"`));
    }
  } else if (s.type && !typeMatches(s.type, value)) {
    causes.push(invalid(field, value, `${field} in body must be of type ${s.type}: "${typeName(value)}"`));
    return;
  }
  if (s.enum && !s.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
    causes.push({
      field,
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${shown(value)}: supported values: ${s.enum.map((o) => shown(o)).join(', ')}`,
    });
  }
  if (typeof value === 'number') checkNumber(s, value, field, causes);
  else if (typeof value === 'string') checkString(s, value, field, causes);
  else if (Array.isArray(value)) {
    checkList(s, value, field, causes);
    value.forEach((item, i) => {
      visit(s.items, item, `${field}[${i}]`, causes);
    });
  } else if (typeof value === 'object') {
    const members = value as Record<string, unknown>;
    for (const name of s.required ?? []) {
      if (members[name] === undefined)
        causes.push({ field: join(field, name), reason: 'FieldValueRequired', message: 'Required value' });
    }
    const count = Object.keys(members).length;
    if (s.maxProperties !== undefined && count > s.maxProperties) {
      causes.push({
        field,
        reason: 'FieldValueTooMany',
        message: `Too many: ${count}: must have at most ${s.maxProperties} items`,
      });
    }
    if (s.minProperties !== undefined && count < s.minProperties) {
      causes.push(invalid(field, value, `${field} in body should have at least ${s.minProperties} properties`));
    }
    for (const [name, child] of Object.entries(members)) {
      const property =
        s.properties?.[name] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      visit(property, child, join(field, name), causes);
    }
  }
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

/** The causes against a custom resource under its version's openAPIV3Schema; [] when it has none. */
export function validateCustomResource(schema: Schema | undefined, object: Record<string, unknown>): FieldCause[] {
  if (!schema) return [];
  const causes: FieldCause[] = [];
  const root = schema as Constraints;
  for (const name of root.required ?? []) {
    if (!['apiVersion', 'kind', 'metadata'].includes(name) && object[name] === undefined) {
      causes.push({ field: name, reason: 'FieldValueRequired', message: 'Required value' });
    }
  }
  for (const [name, child] of Object.entries(object)) {
    if (name === 'apiVersion' || name === 'kind' || name === 'metadata') continue;
    const property =
      root.properties?.[name] ??
      (typeof root.additionalProperties === 'object' ? root.additionalProperties : undefined);
    visit(property, child, name, causes);
  }
  return causes;
}
