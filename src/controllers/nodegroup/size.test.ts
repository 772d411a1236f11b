// The node-group controller refuses a desiredSize no count of nodes can meet instead of chasing it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { NodegroupInfo } from '../../cloud/facts.js';
import { sizeFault } from './reconcile.js';

const ng = (desiredSize: number, minSize?: number, maxSize?: number) =>
  ({ name: 'ng', status: 'ACTIVE', desiredSize, minSize, maxSize }) as NodegroupInfo;

it('names a fractional, negative or out-of-bounds desiredSize, and passes a whole one within bounds', () => {
  assert.equal(sizeFault(ng(0.5, 0, 2)), 'desiredSize 0.5 is not valid');
  assert.equal(sizeFault(ng(-1)), 'desiredSize -1 is not valid');
  assert.equal(sizeFault(ng(3, 0, 2)), 'Desired capacity 3 must be between min size 0 and max size 2');
  assert.equal(sizeFault(ng(2, 0, 2)), undefined);
  assert.equal(sizeFault(ng(0)), undefined);
});
