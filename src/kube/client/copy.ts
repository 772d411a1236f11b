// The in-process client's copy of what a caller hands it, so the API's own changes (defaults, pruning, managed
// fields) never reach the caller's object: exactly what structuredClone makes, made without its serialisation for
// the plain JSON-like values callers pass (plain objects, dense arrays, primitives). Anything else (a Date, a Map,
// a class instance, a sparse array, a function) is left to structuredClone itself, error and all.

const unusual = Symbol('not plain JSON-like data');

function copyValue(value: unknown, copies: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') throw unusual;
    return value;
  }
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || Object.keys(value).length !== value.length) throw unusual;
    const out: unknown[] = new Array(value.length);
    copies.set(value, out);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw unusual;
      out[i] = copyValue(value[i], copies);
    }
    return out;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) throw unusual;
  const out: Record<string, unknown> = {};
  copies.set(value, out);
  for (const key in value) {
    const copied = copyValue((value as Record<string, unknown>)[key], copies);
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: copied, enumerable: true, writable: true, configurable: true });
    else out[key] = copied;
  }
  return out;
}

/** Deeper than any object the store holds: past it, treeOf hands the value to copyOf (a cycle ends up there). */
const treeDepth = 512;

function copyTreeValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') throw unusual;
    return value;
  }
  if (depth > treeDepth) throw unusual;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw unusual;
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === undefined && !(i in value)) throw unusual;
      out[i] = copyTreeValue(item, depth + 1);
    }
    return out;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) throw unusual;
  const out: Record<string, unknown> = {};
  // for-in is the fastest walk of own keys in V8; a plain object inherits no enumerable keys.
  for (const key in value) {
    const copied = copyTreeValue((value as Record<string, unknown>)[key], depth + 1);
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: copied, enumerable: true, writable: true, configurable: true });
    else out[key] = copied;
  }
  return out;
}

/**
 * A deep copy of a value that is a tree (no part reached twice), such as a decoded stored object: what copyOf
 * makes, without tracking shared parts (nor named properties of arrays, which JSON cannot hold). A value that is
 * not a plain tree is left to copyOf.
 */
export function copyOfTree<T>(value: T): T {
  try {
    return copyTreeValue(value, 0) as T;
  } catch (error) {
    if (error === unusual) return copyOf(value);
    throw error;
  }
}

/** A deep copy of `value`, as structuredClone makes it. */
export function copyOf<T>(value: T): T {
  try {
    return copyValue(value, new Map()) as T;
  } catch (error) {
    // Too deep to walk here (RangeError): structuredClone has no such limit.
    if (error === unusual || error instanceof RangeError) return structuredClone(value);
    throw error;
  }
}
