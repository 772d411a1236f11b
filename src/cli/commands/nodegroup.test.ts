import assert from 'node:assert/strict';
import { test } from 'node:test';
import { instanceTypesFlag } from './nodegroup.js';

test('--instance-types and --node-type give the instance types sent to the EKS API', () => {
  assert.deepEqual(instanceTypesFlag(undefined, undefined), ['m5.large']);
  assert.deepEqual(instanceTypesFlag('c5.xlarge', undefined), ['c5.xlarge']);
  assert.deepEqual(instanceTypesFlag(undefined, 'm5.xlarge, m5.large,t3.medium'), [
    'm5.xlarge',
    'm5.large',
    't3.medium',
  ]);
  assert.throws(() => instanceTypesFlag('m5.large', 'm5.large'), /only one of --node-type or --instance-types/);
  assert.throws(
    () => instanceTypesFlag(undefined, 'm5.large,m5.huge'),
    /--instance-types: "m5\.huge" is not an instance type Skiff knows/,
  );
  assert.throws(() => instanceTypesFlag('x1.nano', undefined), /--node-type: "x1\.nano" is not/);
  assert.throws(() => instanceTypesFlag(undefined, 'm5.large,'), /--instance-types must list instance types/);
});
