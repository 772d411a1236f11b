// The rules a Fargate profile request must pass, table-driven: names, role, selectors, labels, subnets, tags.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type FargateProfileRequest,
  type ProfileValidationContext,
  resolveProfileSubnets,
  validateProfileCreate,
  validateProfileDelete,
  validateProfileShape,
} from './profile-validation.js';

const role = 'arn:aws:iam::111122223333:role/fp';
const ok: FargateProfileRequest = {
  fargateProfileName: 'fp',
  podExecutionRoleArn: role,
  selectors: [{ namespace: 'default' }],
};
const labels = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]));

const shapeCases: [string, FargateProfileRequest, string | undefined][] = [
  ['valid', ok, undefined],
  [
    'wildcards in namespace and labels',
    { ...ok, selectors: [{ namespace: 'prod-*', labels: { 'app?': 'web*' } }] },
    undefined,
  ],
  [
    'eks- prefix',
    { ...ok, fargateProfileName: 'eks-x' },
    "The fargate profile name starts with the reserved prefix: 'eks-'.",
  ],
  [
    'name too long',
    { ...ok, fargateProfileName: 'x'.repeat(101) },
    'The Fargate profile name parameter should not be greater than 100 characters.',
  ],
  [
    'dot segment as a name',
    { ...ok, fargateProfileName: '..' },
    "1 validation error detected: Value '..' at 'fargateProfileName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9A-Za-z][A-Za-z0-9\\-_]*",
  ],
  ['underscores and hyphens', { ...ok, fargateProfileName: 'fp_dev-1' }, undefined],
  [
    'role with a path',
    { ...ok, podExecutionRoleArn: 'arn:aws:iam::111122223333:role/a/b' },
    'Invalid PodExecutionRoleArn: arn:aws:iam::111122223333:role/a/b. Expected arn:aws:iam::<account-id>:role/<role-name>.',
  ],
  ['no selectors', { ...ok, selectors: [] }, 'Fargate Profile requires at least one selector.'],
  ['missing selectors', { ...ok, selectors: undefined }, 'Fargate Profile requires at least one selector.'],
  [
    'selector without namespace',
    { ...ok, selectors: [{ labels: { a: 'b' } }] },
    'Fargate Profile must have at least one selector with at least one namespace value.',
  ],
  [
    '6 selectors',
    { ...ok, selectors: Array.from({ length: 6 }, () => ({ namespace: 'a' })) },
    'Fargate Profile cannot have more than 5 selectors.',
  ],
  ['5 selectors', { ...ok, selectors: Array.from({ length: 5 }, () => ({ namespace: 'a' })) }, undefined],
  [
    '6 labels',
    { ...ok, selectors: [{ namespace: 'a', labels: labels(6) }] },
    'Request contains Selector with more than 5 Label pairs',
  ],
  ['5 labels', { ...ok, selectors: [{ namespace: 'a', labels: labels(5) }] }, undefined],
];
for (const [name, req, message] of shapeCases) {
  test(`shape: ${name}`, () => {
    const v = validateProfileShape(req);
    assert.equal(v?.message, message);
    if (v) assert.equal(v.reason, 'InvalidParameterException');
  });
}

const subnets = [
  { subnetId: 'subnet-pub1', public: true },
  { subnetId: 'subnet-priv1', public: false },
  { subnetId: 'subnet-priv2', public: false },
];
test('subnets default to the private ones', () => {
  assert.deepEqual(resolveProfileSubnets(undefined, subnets), { subnets: ['subnet-priv1', 'subnet-priv2'] });
});
test('a public subnet is refused with the EKS message', () => {
  assert.deepEqual(resolveProfileSubnets(['subnet-priv1', 'subnet-pub1'], subnets), {
    reason: 'InvalidParameterException',
    message: 'Subnet subnet-pub1 provided in Fargate Profile is not a private subnet',
  });
});
test('an unknown subnet is refused', () => {
  assert.equal(
    (resolveProfileSubnets(['subnet-x'], subnets) as { reason: string }).reason,
    'InvalidParameterException',
  );
});

const ctx = (existing: ProfileValidationContext['existing']): ProfileValidationContext => ({
  clusterName: 'c',
  existing,
  subnets,
});
const createCases: [string, ProfileValidationContext, string, string | undefined][] = [
  ['empty cluster', ctx([]), 'p2', undefined],
  [
    'duplicate',
    ctx([{ name: 'p2', status: 'ACTIVE' }]),
    'p2',
    'ResourceInUseException: A Fargate Profile already exists with this name in this cluster.',
  ],
  [
    'another CREATING',
    ctx([{ name: 'p1', status: 'CREATING' }]),
    'p2',
    'ResourceInUseException: Cannot create Fargate Profile p2 because cluster c currently has Fargate profile p1 in status CREATING',
  ],
  [
    'another DELETING',
    ctx([{ name: 'p1', status: 'DELETING' }]),
    'p2',
    'ResourceInUseException: Cannot create Fargate Profile p2 because cluster c currently has Fargate profile p1 in status DELETING',
  ],
  [
    'ten exist',
    ctx(Array.from({ length: 10 }, (_, i) => ({ name: `p${i}x`, status: 'ACTIVE' as const }))),
    'p2',
    'ResourceLimitExceededException: Cluster c already has the maximum of 10 Fargate profiles.',
  ],
];
for (const [name, context, profile, expected] of createCases) {
  test(`create: ${name}`, () => {
    const v = validateProfileCreate(profile, context);
    assert.equal(v && `${v.reason}: ${v.message}`, expected);
  });
}

test('delete while another is DELETING is refused with the EKS message', () => {
  const v = validateProfileDelete(
    'p2',
    ctx([
      { name: 'p1', status: 'DELETING' },
      { name: 'p2', status: 'ACTIVE' },
    ]),
  );
  assert.equal(
    v?.message,
    'Cannot Delete Fargate Profile p2 because cluster c currently has Fargate profile p1 in status DELETING',
  );
  assert.equal(validateProfileDelete('p2', ctx([{ name: 'p2', status: 'ACTIVE' }])), undefined);
});
