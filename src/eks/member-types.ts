// The JSON types of an operation's body members, as the EKS service model declares them, checked before the
// handler reads them: a member of the wrong type (`"fargateProfileName": true`) is a SerializationException,
// as the service answers a body it cannot deserialise. Absent members are the handler's to require.
import { EksError } from './errors.js';

export type MemberType =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'list<string>'
  | 'map<string,string>'
  | { listOf: Record<string, MemberType> }
  | { structure: Record<string, MemberType> };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function mismatch(path: string, expected: string, value: unknown): EksError {
  return new EksError('SerializationException', `Expected ${expected} for ${path} but found ${describe(value)}.`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function check(value: unknown, type: MemberType, path: string): void {
  if (value === undefined) return;
  if (type === 'string') {
    if (typeof value !== 'string') throw mismatch(path, 'a string', value);
  } else if (type === 'integer') {
    if (!Number.isInteger(value)) throw mismatch(path, 'an integer', value);
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean') throw mismatch(path, 'a boolean', value);
  } else if (typeof type === 'object' && 'structure' in type) {
    if (!isObject(value)) throw mismatch(path, 'an object', value);
    checkMemberTypes(value, type.structure, `${path}.`);
  } else if (type === 'list<string>') {
    if (!Array.isArray(value)) throw mismatch(path, 'a list', value);
    for (const [i, item] of value.entries()) check(item, 'string', `${path}[${i}]`);
  } else if (type === 'map<string,string>') {
    if (!isObject(value)) throw mismatch(path, 'a map', value);
    for (const [key, item] of Object.entries(value)) check(item, 'string', `${path}.${key}`);
  } else {
    if (!Array.isArray(value)) throw mismatch(path, 'a list', value);
    for (const [i, item] of value.entries()) {
      if (!isObject(item)) throw mismatch(`${path}[${i}]`, 'an object', item);
      checkMemberTypes(item, type.listOf, `${path}[${i}].`);
    }
  }
}

/** Throws a SerializationException naming the first member whose JSON type the model does not allow. */
export function checkMemberTypes(
  body: Record<string, unknown>,
  members: Record<string, MemberType>,
  prefix = '',
): void {
  for (const [name, type] of Object.entries(members)) check(body[name], type, `${prefix}${name}`);
}
