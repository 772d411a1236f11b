// Deterministic serialisation of OpenAPI documents and the content hash kube-apiserver puts in ?hash= and ETag
// (upper-case hex SHA-512 of the served bytes).
import { createHash } from 'node:crypto';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** The same document always serialises to the same bytes (keys sorted at every level). */
export function stableJson(document: unknown): string {
  return JSON.stringify(sortKeys(document));
}

export function contentHash(bytes: string | Buffer): string {
  return createHash('sha512').update(bytes).digest('hex').toUpperCase();
}
