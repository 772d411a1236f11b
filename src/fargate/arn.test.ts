import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterArn, fargateProfileArn, isRoleArn, parseArn, parseEksResourceArn } from './arn.js';

test('builds EKS ARNs with region and account', () => {
  assert.equal(
    clusterArn('ap-northeast-2', '111122223333', 'demo'),
    'arn:aws:eks:ap-northeast-2:111122223333:cluster/demo',
  );
  assert.equal(
    fargateProfileArn('us-east-1', '111122223333', 'c', 'fp', 'a2c72bca-318e-abe8-8ed1-27c6d4892e9e'),
    'arn:aws:eks:us-east-1:111122223333:fargateprofile/c/fp/a2c72bca-318e-abe8-8ed1-27c6d4892e9e',
  );
});

test('parses ARNs; the region is the fourth field as update-kubeconfig reads it', () => {
  const arn = parseArn('arn:aws:eks:ap-northeast-2:111122223333:cluster/demo');
  assert.equal(arn?.region, 'ap-northeast-2');
  assert.equal(parseArn('not-an-arn'), undefined);
});

const resourceCases: [string, ReturnType<typeof parseEksResourceArn>][] = [
  ['arn:aws:eks:r:1:cluster/c', { kind: 'cluster', cluster: 'c', region: 'r', accountId: '1' }],
  [
    'arn:aws:eks:r:1:fargateprofile/c/p/u',
    { kind: 'fargateprofile', cluster: 'c', name: 'p', region: 'r', accountId: '1' },
  ],
  ['arn:aws:eks:r:1:nodegroup/c/n/u', { kind: 'nodegroup', cluster: 'c', name: 'n', region: 'r', accountId: '1' }],
  ['arn:aws:eks:r:1:addon/c/coredns/u', { kind: 'addon', cluster: 'c', name: 'coredns', region: 'r', accountId: '1' }],
  ['arn:aws:eks:r:1:fargateprofile/c', undefined],
  ['arn:aws:iam::1:role/x', undefined],
];
for (const [input, expected] of resourceCases) {
  test(`parseEksResourceArn(${input})`, () => assert.deepEqual(parseEksResourceArn(input), expected));
}

const roleCases: [string, boolean, boolean?][] = [
  ['arn:aws:iam::111122223333:role/p', true],
  ['arn:aws:iam::111122223333:role/Migration-EKS-Pod-Excution-Role', true],
  ['arn:aws:iam::111122223333:role/path/p', false],
  ['arn:aws:iam::111122223333:role/path/p', true, true],
  ['arn:aws:iam::1111:role/p', false],
  ['arn:aws:iam::111122223333:user/p', false],
  ['arn:aws:iam:us-east-1:111122223333:role/p', false],
  ['role/p', false],
];
for (const [input, expected, allowPath] of roleCases) {
  test(`isRoleArn(${input}, allowPath=${!!allowPath}) = ${expected}`, () => {
    assert.equal(isRoleArn(input, { allowPath }), expected);
  });
}
