import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClusterConfig } from './cluster-config.js';
import { tabTable } from './print.js';

const head = 'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: c\n  region: ap-northeast-2\n';

test('reads fargateProfiles with eksctl keys', () => {
  const cfg = parseClusterConfig(
    `${head}iam:\n  fargatePodExecutionRoleARN: arn:aws:iam::111122223333:role/r\nfargateProfiles:\n  - name: fp\n    selectors:\n      - namespace: dev\n        labels: {env: dev}\n    subnets: [subnet-1]\n    tags: {a: b}\n`,
    'c.yaml',
  );
  assert.deepEqual(cfg.fargateProfiles, [
    {
      name: 'fp',
      podExecutionRoleARN: undefined,
      selectors: [{ namespace: 'dev', labels: { env: 'dev' } }],
      subnets: ['subnet-1'],
      tags: { a: 'b' },
    },
  ]);
  assert.equal(cfg.iam?.fargatePodExecutionRoleARN, 'arn:aws:iam::111122223333:role/r');
});

const strictCases: [string, string][] = [
  [`${head}fargateProfile: []\n`, 'error parsing c.yaml: unknown field "fargateProfile"'],
  [
    `${head}fargateProfiles:\n  - name: a\n    selector: []\n`,
    'error parsing c.yaml: unknown field "fargateProfiles[0].selector"',
  ],
  [
    `${head}fargateProfiles:\n  - name: a\n    selectors:\n      - namespace: x\n        label: {}\n`,
    'error parsing c.yaml: unknown field "fargateProfiles[0].selectors[0].label"',
  ],
  [`${head.replace('name: c', 'nam: c')}`, 'error parsing c.yaml: unknown field "metadata.nam"'],
  [
    'apiVersion: v1\nkind: ClusterConfig\nmetadata: {name: c}\n',
    'error parsing c.yaml: apiVersion: expected "eksctl.io/v1alpha5", got "v1"',
  ],
];
for (const [text, message] of strictCases) {
  test(`strict: ${message}`, () => assert.throws(() => parseClusterConfig(text, 'c.yaml'), { message }));
}

test("accepts the seeds' spellings with a warning", () => {
  const cfg = parseClusterConfig(
    `${head}fargateProfiles:\n  - name: a\n    selectors: [{namespace: x}]\n    podExecutionRoleArn: arn:aws:iam::1:role/r\n  - name: b\n    selectors: [{namespace: y}]\n    iam: {roleArn: arn:aws:iam::1:role/s}\n`,
    'c.yaml',
  );
  assert.equal(cfg.fargateProfiles[0].podExecutionRoleARN, 'arn:aws:iam::1:role/r');
  assert.equal(cfg.fargateProfiles[1].podExecutionRoleARN, 'arn:aws:iam::1:role/s');
  assert.equal(cfg.warnings.length, 2);
});

test('tab table pads like Go tabwriter with tab padding', () => {
  assert.equal(
    tabTable([
      ['NAME', 'STATUS'],
      ['fp-prod', 'ACTIVE'],
    ]),
    'NAME\tSTATUS\nfp-prod\tACTIVE\n',
  );
  assert.equal(
    tabTable([
      ['NAME', 'X'],
      ['a-long-name', 'y'],
    ]),
    'NAME\t\tX\na-long-name\ty\n',
  );
});
