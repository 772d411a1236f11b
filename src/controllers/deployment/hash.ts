// The pod-template-hash: FNV-32a over the template (plus collisionCount) encoded with Kubernetes' SafeEncodeString
// alphabet. Kubernetes hashes a Go spew dump of the struct; Skiff hashes canonical (key-sorted) JSON instead.
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function fnv32a(bytes: Uint8Array, start = 0x811c9dc5): number {
  let hash = start;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash >>> 0;
}

/** `rand.SafeEncodeString`: each character of the decimal hash maps onto a vowel-free alphabet. */
export function safeEncode(text: string): string {
  return [...text].map((ch) => alphanums[ch.charCodeAt(0) % alphanums.length]).join('');
}

export function podTemplateHash(template: unknown, collisionCount?: number): string {
  let hash = fnv32a(new TextEncoder().encode(canonical(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const count = new Uint8Array(4);
    new DataView(count.buffer).setUint32(0, collisionCount, true);
    hash = fnv32a(count, hash);
  }
  return safeEncode(String(hash));
}
