// `skiff create|get|delete fargateprofile|nodegroup` (node --import tsx src/cli/main.ts) against standalone EKS
// APIs: the seeds' commands and ClusterConfig files (003, 004), eksctl's output formats and messages.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import YAML from 'yaml';
import { type Standalone, standalone } from './eks-support.js';

let wsi: Standalone;
let mine: Standalone;
before(async () => {
  [wsi, mine] = await Promise.all([
    standalone({ clusterName: 'wsi-eks-cluster', delayMs: 200 }),
    standalone({ clusterName: 'my-cluster', delayMs: 200 }),
  ]);
});
after(async () => {
  await wsi.close();
  await mine.close();
});

function skiff(s: Standalone, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...s.env,
    AWS_ENDPOINT_URL_EKS: s.api.url,
    SKIFF_DATA_DIR: join(s.dir, 'no-skiff-here'),
    AWS_REGION: 'ap-northeast-2',
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { env, cwd: process.cwd() },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

test('seed 004: create by flags, get -o yaml, table with one row per selector', async () => {
  const created = await skiff(
    mine,
    'create',
    'fargateprofile',
    '--cluster',
    'my-cluster',
    '--name',
    'fargate-game-2048',
    '--namespace',
    'fargate-game-2048',
  );
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stderr, /\[ℹ\] {2}creating Fargate profile "fargate-game-2048" on EKS cluster "my-cluster"/);
  assert.match(created.stderr, /\[ℹ\] {2}created Fargate profile "fargate-game-2048" on EKS cluster "my-cluster"/);
  const yaml = await skiff(mine, 'get', 'fargateprofile', '--cluster', 'my-cluster', '-o', 'yaml');
  const [profile] = YAML.parse(yaml.stdout);
  assert.equal(profile.name, 'fargate-game-2048');
  assert.equal(profile.status, 'ACTIVE');
  assert.deepEqual(profile.selectors, [{ namespace: 'fargate-game-2048' }]);
  assert.match(
    profile.podExecutionRoleARN,
    /^arn:aws:iam::\d{12}:role\/eksctl-my-cluster-fargate-FargatePodExecutionRole$/,
  );
  assert.deepEqual(Object.keys(profile), ['name', 'podExecutionRoleARN', 'selectors', 'status', 'subnets']);

  const labelled = await skiff(
    mine,
    'create',
    'fargateprofile',
    'web',
    '--cluster',
    'my-cluster',
    '--namespace',
    'web-*',
    '-l',
    'app=web,tier=front',
    '-t',
    'team=a',
  );
  assert.equal(labelled.code, 0, labelled.stderr);
  const table = (await skiff(mine, 'get', 'fargateprofile', '--cluster', 'my-cluster')).stdout.split('\n');
  assert.match(
    table[0],
    /^NAME\t+SELECTOR_NAMESPACE\t+SELECTOR_LABELS\t+POD_EXECUTION_ROLE_ARN\t+SUBNETS\t+TAGS\t+STATUS$/,
  );
  assert.match(
    table[2],
    /^web\t+web-\*\t+app=web,tier=front\t+arn:aws:iam::\d+:role\/\S+\t+subnet-\w+,subnet-\w+\t+team=a\t+ACTIVE$/,
  );
  const [jsonOut, bad] = await Promise.all([
    skiff(mine, 'get', 'fargateprofile', 'web', '--cluster', 'my-cluster', '-o', 'json'),
    skiff(mine, 'get', 'fargateprofile', '--cluster', 'my-cluster', '-o', 'foo'),
  ]);
  const json = JSON.parse(jsonOut.stdout);
  assert.deepEqual(json[0].selectors, [{ namespace: 'web-*', labels: { app: 'web', tier: 'front' } }]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim(), 'Error: unknown output printer type: expected {"yaml","json","table"} but got "foo"');
});

test("seed 004's ClusterConfig (with this cluster's subnet) and seed 003's (podExecutionRoleArn)", async () => {
  const { cluster } = await mine.awsJson<any>('eks', 'describe-cluster', '--name', 'my-cluster');
  const privateSubnet = cluster.resourcesVpcConfig.subnetIds[2];
  const seed004 = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: my-cluster
  region: ap-northeast-2
fargateProfiles:
  - name: default
    selectors:
      - namespace: fargate-app
    subnets:
      - ${privateSubnet}
    iam:
      roleArn: arn:aws:iam::123456789012:role/eks-fargate-pod-role
`;
  await writeFile(join(mine.dir, 'seed004.yaml'), seed004);
  const r4 = await skiff(mine, 'create', 'fargateprofile', '-f', join(mine.dir, 'seed004.yaml'));
  assert.equal(r4.code, 0, r4.stderr);
  const p4 = (
    await mine.awsJson<any>(
      'eks',
      'describe-fargate-profile',
      '--cluster-name',
      'my-cluster',
      '--fargate-profile-name',
      'default',
    )
  ).fargateProfile;
  assert.deepEqual(p4.subnets, [privateSubnet]);
  assert.equal(p4.podExecutionRoleArn, 'arn:aws:iam::123456789012:role/eks-fargate-pod-role');

  const seed003 = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: wsi-eks-cluster
  region: ap-northeast-2
fargateProfiles:
  - name: skills-fargates
    selectors:
      - namespace: wsi-skills-namespace
        labels:
          node: fargate
    podExecutionRoleArn: "arn:aws:iam::123456789012:role/FargateRole"
`;
  await writeFile(join(wsi.dir, 'fargateprofile.yaml'), seed003);
  const r3 = await skiff(wsi, 'create', 'fargateprofile', '-f', join(wsi.dir, 'fargateprofile.yaml'));
  assert.equal(r3.code, 0, r3.stderr);
  const got = await skiff(wsi, 'get', 'fargateprofile', '--cluster', 'wsi-eks-cluster');
  assert.match(
    got.stdout,
    /skills-fargates\t+wsi-skills-namespace\t+node=fargate\t+arn:aws:iam::123456789012:role\/FargateRole/,
  );
  const sg = await wsi.aws(
    'eks',
    'describe-cluster',
    '--name',
    'wsi-eks-cluster',
    '--query',
    'cluster.resourcesVpcConfig.clusterSecurityGroupId',
    '--output',
    'text',
  );
  assert.match(sg.stdout.trim(), /^sg-0[0-9a-f]{16}$/);

  await writeFile(join(wsi.dir, 'typo.yaml'), seed003.replace('selectors:', 'selector:'));
  const typo = await skiff(wsi, 'create', 'fargateprofile', '-f', join(wsi.dir, 'typo.yaml'));
  assert.equal(typo.code, 1);
  assert.equal(
    typo.stderr.trim(),
    `Error: error parsing ${join(wsi.dir, 'typo.yaml')}: unknown field "fargateProfiles[0].selector"`,
  );
});

test('client-side validation and delete --wait', async () => {
  const [eks, nons] = await Promise.all([
    skiff(mine, 'create', 'fargateprofile', '--cluster', 'my-cluster', '--name', 'eks-x', '--namespace', 'a'),
    skiff(mine, 'create', 'fargateprofile', '--cluster', 'my-cluster', '--name', 'x'),
  ]);
  assert.equal(eks.stderr.trim(), 'Error: invalid Fargate profile "eks-x": name should NOT start with "eks-"');
  assert.equal(nons.stderr.trim(), 'Error: invalid Fargate profile: empty selector namespace');
  const del = await skiff(mine, 'delete', 'fargateprofile', '--cluster', 'my-cluster', 'web', '--wait');
  assert.equal(del.code, 0, del.stderr);
  assert.match(del.stderr, /deleted Fargate profile "web" on EKS cluster "my-cluster"/);
  const names = (await mine.awsJson<any>('eks', 'list-fargate-profiles', '--cluster-name', 'my-cluster'))
    .fargateProfileNames;
  assert.deepEqual(names, ['default', 'fargate-game-2048']);
});

test('nodegroup create, get, delete', async () => {
  const c = await skiff(
    mine,
    'create',
    'nodegroup',
    '--cluster',
    'my-cluster',
    '--name',
    'ng-1',
    '--nodes',
    '3',
    '--nodes-max',
    '4',
    '--node-taints',
    'dedicated=gpu:NoSchedule',
  );
  assert.equal(c.code, 0, c.stderr);
  const ng = (
    await mine.awsJson<any>('eks', 'describe-nodegroup', '--cluster-name', 'my-cluster', '--nodegroup-name', 'ng-1')
  ).nodegroup;
  assert.deepEqual(ng.scalingConfig, { minSize: 3, maxSize: 4, desiredSize: 3 });
  assert.deepEqual(ng.taints, [{ key: 'dedicated', value: 'gpu', effect: 'NO_SCHEDULE' }]);
  const table = (await skiff(mine, 'get', 'nodegroup', '--cluster', 'my-cluster')).stdout;
  assert.match(table, /^CLUSTER\t+NODEGROUP\t+STATUS/);
  assert.match(table, /my-cluster\t+ng-1\t+ACTIVE/);
  const d = await skiff(mine, 'delete', 'nodegroup', '--cluster', 'my-cluster', 'ng-1', '--wait');
  assert.equal(d.code, 0, d.stderr);

  const typed = await skiff(
    mine,
    'create',
    'nodegroup',
    '--cluster',
    'my-cluster',
    '--name',
    'ng-2',
    '--nodes',
    '1',
    '--instance-types',
    'm5.xlarge,m5.large',
  );
  assert.equal(typed.code, 0, typed.stderr);
  const ng2 = (
    await mine.awsJson<any>('eks', 'describe-nodegroup', '--cluster-name', 'my-cluster', '--nodegroup-name', 'ng-2')
  ).nodegroup;
  assert.deepEqual(ng2.instanceTypes, ['m5.xlarge', 'm5.large']);
  const unknown = await skiff(mine, 'create', 'nodegroup', '--cluster', 'my-cluster', '--instance-types', 'm5.huge');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /--instance-types: "m5\.huge" is not an instance type Skiff knows/);
  assert.equal((await skiff(mine, 'delete', 'nodegroup', '--cluster', 'my-cluster', 'ng-2', '--wait')).code, 0);
  assert.deepEqual((await mine.awsJson<any>('eks', 'list-nodegroups', '--cluster-name', 'my-cluster')).nodegroups, []);
});
