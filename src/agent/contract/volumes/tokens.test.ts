// The token cache: a token is reused until 80% of its lifetime has passed, then requested again.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TokenCache } from './tokens.js';

it('requests a new token at 80% of its lifetime', async () => {
  let now = 1_000_000;
  let issued = 0;
  const cache = new TokenCache(() => now);
  const request = async () => ({ token: `t${++issued}`, expiresAt: now + 600_000 });
  assert.equal(await cache.get('v/token', request), 't1');
  now += 479_000;
  assert.equal(await cache.get('v/token', request), 't1');
  now += 2_000;
  assert.equal(await cache.get('v/token', request), 't2');
  assert.equal(await cache.get('other/token', request), 't3');
});
