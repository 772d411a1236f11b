// Capability masks as containerd computes the set: default, add and drop (with "ALL" and CAP_ prefixes), privileged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capabilityMask } from './capabilities.js';

const bit = (n: number) => 1n << BigInt(n);

test('the default set, with additions and drops', () => {
  const defaults = capabilityMask({});
  assert.equal(defaults & bit(19), 0n); // SYS_PTRACE
  assert.equal(defaults & bit(0), bit(0)); // CHOWN
  assert.equal(capabilityMask({ add: ['SYS_PTRACE'] }) & bit(19), bit(19));
  assert.equal(capabilityMask({ drop: ['CAP_CHOWN'] }) & bit(0), 0n);
  assert.equal(capabilityMask({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] }), bit(10));
  assert.equal(capabilityMask({ privileged: true, drop: ['ALL'] }), (1n << 41n) - 1n);
  assert.equal(capabilityMask({ add: ['ALL'] }), (1n << 41n) - 1n);
});
