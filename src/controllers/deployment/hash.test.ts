// The pod-template-hash is stable under key order, changes with the template and with collisionCount, and uses
// only SafeEncodeString's vowel-free alphabet.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { podTemplateHash, safeEncode } from './hash.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

it('is stable under key order and changes with the template and collisionCount', () => {
  const reordered = { spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { app: 'web' } } };
  assert.equal(podTemplateHash(template), podTemplateHash(reordered));
  const other = structuredClone(template);
  other.spec.containers[0].image = 'nginx:1.27';
  assert.notEqual(podTemplateHash(template), podTemplateHash(other));
  assert.notEqual(podTemplateHash(template), podTemplateHash(template, 1));
  assert.match(podTemplateHash(template), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
});

it('encodes each digit onto the SafeEncodeString alphabet', () => {
  // '0' is byte 48 → 48 % 27 = 21 → '4'; '9' is 57 → 3 → 'f'.
  assert.equal(safeEncode('09'), '4f');
});
