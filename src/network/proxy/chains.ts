// Chain names as kube-proxy's iptables mode makes them: a prefix and the first 16 base32 characters of a SHA-256
// of what the chain stands for (a service port, an endpoint of it, a node's share of it), so names stay within
// iptables' 28 characters and the same Service always gets the same chains.
import { createHash } from 'node:crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function chainName(prefix: string, ...parts: string[]): string {
  return `${prefix}-${base32(createHash('sha256').update(parts.join('')).digest()).slice(0, 16)}`;
}
