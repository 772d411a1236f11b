// Set algebra over FieldsV1 trees (structured-merge-diff's fieldpath.Set): union, difference, intersection and
// emptiness, and the leaves of a set as the paths a conflict names (`.spec.replicas`,
// `.spec.template.spec.containers[name="web"].image`, `.metadata.finalizers[="x"]`).
import type { FieldsV1 } from '../patch/fieldset.js';

function isLeaf(set: FieldsV1): boolean {
  for (const element in set) if (Object.hasOwn(set, element)) return false;
  return true;
}

/** A deep copy of a set, as structuredClone makes it (an element named `__proto__` stays an own property). */
export function copy(set: FieldsV1): FieldsV1 {
  const out: FieldsV1 = {};
  for (const element of Object.keys(set)) {
    const below = copy(set[element]);
    if (element === '__proto__')
      Object.defineProperty(out, element, { value: below, enumerable: true, writable: true, configurable: true });
    else out[element] = below;
  }
  return out;
}

export function union(a: FieldsV1, b: FieldsV1): FieldsV1 {
  const out: FieldsV1 = copy(a);
  for (const [element, below] of Object.entries(b)) {
    out[element] = out[element] ? union(out[element], below) : copy(below);
  }
  return out;
}

/** The members of `a` not in `b`: a leaf of `b` removes the same leaf of `a`; below that both are descended. */
export function difference(a: FieldsV1, b: FieldsV1): FieldsV1 {
  const out: FieldsV1 = {};
  for (const [element, below] of Object.entries(a)) {
    const other = b[element];
    if (!other) out[element] = copy(below);
    else if (isLeaf(below)) {
      if (!isLeaf(other)) out[element] = {};
    } else {
      const rest = difference(below, other);
      if (!isLeaf(rest)) out[element] = rest;
    }
  }
  return out;
}

export function intersection(a: FieldsV1, b: FieldsV1): FieldsV1 {
  const out: FieldsV1 = {};
  for (const [element, below] of Object.entries(a)) {
    const other = b[element];
    if (!other) continue;
    if (isLeaf(below) || isLeaf(other)) {
      if (isLeaf(below) && isLeaf(other)) out[element] = {};
      continue;
    }
    const both = intersection(below, other);
    if (!isLeaf(both)) out[element] = both;
  }
  return out;
}

export const isEmpty = isLeaf;

/** One FieldsV1 element as fieldpath.PathElement prints it. */
function printElement(element: string): string {
  if (element.startsWith('f:')) return `.${element.slice(2)}`;
  if (element.startsWith('v:')) return `[=${element.slice(2)}]`;
  if (element.startsWith('i:')) return `[${element.slice(2)}]`;
  if (element.startsWith('k:')) {
    const keys = JSON.parse(element.slice(2)) as Record<string, unknown>;
    return `[${Object.entries(keys)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',')}]`;
  }
  return '';
}

/** The leaves of a set (fields and list items owned as a whole), as printed paths. */
export function leafPaths(set: FieldsV1, prefix = ''): string[] {
  const out: string[] = [];
  for (const [element, below] of Object.entries(set)) {
    if (element === '.') {
      out.push(prefix);
      continue;
    }
    const path = `${prefix}${printElement(element)}`;
    if (isLeaf(below)) out.push(path);
    else out.push(...leafPaths(below, path));
  }
  return out;
}
