// The tokens of a pod's serviceAccountToken projections, kept as the kubelet's token manager keeps them: a token is
// used until 80% of its lifetime has passed (or 24 hours), then a new one is requested.
import type { IssuedToken } from '../reader.js';

interface Held extends IssuedToken {
  issuedAt: number;
}

const maxAgeMs = 24 * 3600_000;

export class TokenCache {
  private held = new Map<string, Held>();

  constructor(private now: () => number = Date.now) {}

  /** Whether the token should be requested again. */
  stale(token: Held): boolean {
    const now = this.now();
    const lifetime = token.expiresAt - token.issuedAt;
    return now >= token.issuedAt + 0.8 * lifetime || now - token.issuedAt > maxAgeMs;
  }

  async get(key: string, request: () => Promise<IssuedToken>): Promise<string> {
    const held = this.held.get(key);
    if (held && !this.stale(held)) return held.token;
    const fresh = await request();
    this.held.set(key, { ...fresh, issuedAt: this.now() });
    return fresh.token;
  }
}
