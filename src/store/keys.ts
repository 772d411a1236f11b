// Key ranges: the smallest key above every key that starts with a prefix, so that backends can scan a prefix as a
// sorted range. Keys compare by code point, which is the byte order of their UTF-8 form (SQLite's BINARY order).

/** The least string greater than every string starting with `prefix`; undefined when there is none (empty prefix). */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    let next = points.pop()!.codePointAt(0)! + 1;
    if (next === 0xd800) next = 0xe000; // skip the surrogate block, which has no UTF-8 form
    if (next <= 0x10ffff) return points.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

/** Orders keys as the SQLite backend does: by code point. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : 1;
}
