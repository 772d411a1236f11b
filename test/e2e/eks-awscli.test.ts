// The real aws CLI (v1) against a standalone Skiff EKS API: clusters, Fargate profiles, waiters, paging, every
// error case with its printed message, kubeconfig, and requests with bad signatures.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import YAML from 'yaml';
import { eksTokenAuthenticator } from '../../src/eks/auth/token.js';
import { CA_PEM, REGION, ROLE, type Standalone, standalone } from './eks-support.js';

let s: Standalone;
let privateSubnets: string[];
let publicSubnets: string[];
before(async () => {
  s = await standalone();
});
after(() => s.close());

const fp = (name: string, ...extra: string[]) => [
  'eks',
  'create-fargate-profile',
  '--cluster-name',
  'demo',
  '--fargate-profile-name',
  name,
  '--pod-execution-role-arn',
  ROLE,
  ...extra,
];

async function expectError(args: string[], type: string, operation: string, message: string) {
  const r = await s.aws(...args);
  assert.equal(r.code, 255, r.stderr);
  assert.equal(r.stderr.trim(), `An error occurred (${type}) when calling the ${operation} operation: ${message}`);
}

test('list-clusters and describe-cluster', async () => {
  assert.deepEqual(await s.awsJson('eks', 'list-clusters'), { clusters: ['demo'] });
  const { cluster } = await s.awsJson<{ cluster: Record<string, any> }>('eks', 'describe-cluster', '--name', 'demo');
  assert.equal(cluster.status, 'ACTIVE');
  assert.match(cluster.arn, new RegExp(`^arn:aws:eks:${REGION}:${s.creds.accountId}:cluster/demo$`));
  assert.equal(cluster.endpoint, 'https://127.0.0.1:6443');
  assert.equal(Buffer.from(cluster.certificateAuthority.data, 'base64').toString(), CA_PEM);
  assert.equal(cluster.version, '1.32');
  assert.equal(cluster.kubernetesNetworkConfig.serviceIpv4Cidr, '172.20.0.0/16');
  assert.match(cluster.resourcesVpcConfig.vpcId, /^vpc-0[0-9a-f]{16}$/);
  assert.equal(cluster.resourcesVpcConfig.subnetIds.length, 4);
  for (const id of cluster.resourcesVpcConfig.subnetIds) assert.match(id, /^subnet-0[0-9a-f]{16}$/);
  [publicSubnets, privateSubnets] = [
    cluster.resourcesVpcConfig.subnetIds.slice(0, 2),
    cluster.resourcesVpcConfig.subnetIds.slice(2),
  ];
  await expectError(
    ['eks', 'describe-cluster', '--name', 'nope'],
    'ResourceNotFoundException',
    'DescribeCluster',
    'No cluster found for name: nope.',
  );
});

test('update-kubeconfig writes a context whose get-token the kube API accepts', async () => {
  const r = await s.aws('eks', 'update-kubeconfig', '--name', 'demo');
  assert.equal(r.code, 0, r.stderr);
  const kubeconfig = YAML.parse(await readFile(join(s.dir, 'kubeconfig'), 'utf8'));
  assert.equal(kubeconfig.clusters[0].cluster.server, 'https://127.0.0.1:6443');
  const exec = kubeconfig.users[0].user.exec;
  const token = JSON.parse((await s.aws(...exec.args.slice(2))).stdout).status.token;
  const user = await eksTokenAuthenticator({ credentials: () => [s.creds], clusterName: 'demo' })(token);
  assert.deepEqual(user?.groups, ['system:masters', 'system:authenticated']);
});

test('create, describe, list with paging, wait, delete', async () => {
  const created = await s.awsJson<any>(...fp('fp-default', '--selectors', '[{"namespace":"default"}]'));
  assert.equal(created.fargateProfile.status, 'CREATING');
  assert.deepEqual(created.fargateProfile.subnets, privateSubnets, 'defaults to the private subnets');
  assert.deepEqual(created.fargateProfile.tags, {});
  assert.match(
    created.fargateProfile.fargateProfileArn,
    /^arn:aws:eks:ap-northeast-2:\d{12}:fargateprofile\/demo\/fp-default\/[0-9a-f-]{36}$/,
  );
  assert.equal(
    (
      await s.aws(
        'eks',
        'wait',
        'fargate-profile-active',
        '--cluster-name',
        'demo',
        '--fargate-profile-name',
        'fp-default',
      )
    ).code,
    0,
  );

  // seed 002's call, with this cluster's subnet ids
  const seed = await s.awsJson<any>(
    'eks',
    'create-fargate-profile',
    '--cluster-name',
    'demo',
    '--pod-execution-role-arn',
    'arn:aws:iam::123456789012:role/Migration-EKS-Pod-Excution-Role',
    '--fargate-profile-name',
    'ops-kube-system',
    '--selectors',
    '[{"namespace": "kube-system"}]',
    '--subnets',
    JSON.stringify(privateSubnets),
  );
  assert.deepEqual(seed.fargateProfile.subnets, privateSubnets);
  await s.aws(
    'eks',
    'wait',
    'fargate-profile-active',
    '--cluster-name',
    'demo',
    '--fargate-profile-name',
    'ops-kube-system',
  );
  const labelled = await s.awsJson<any>(
    ...fp(
      'app-ns-app',
      '--selectors',
      '[{"namespace":"app*","labels":{"tier":"web?","env":"prod"}}]',
      '--tags',
      'team=a',
    ),
  );
  assert.deepEqual(labelled.fargateProfile.selectors, [{ namespace: 'app*', labels: { tier: 'web?', env: 'prod' } }]);
  await s.aws(
    'eks',
    'wait',
    'fargate-profile-active',
    '--cluster-name',
    'demo',
    '--fargate-profile-name',
    'app-ns-app',
  );

  const described = await s.awsJson<any>(
    'eks',
    'describe-fargate-profile',
    '--cluster-name',
    'demo',
    '--fargate-profile-name',
    'app-ns-app',
  );
  assert.equal(described.fargateProfile.status, 'ACTIVE');
  assert.deepEqual(described.fargateProfile.tags, { team: 'a' });

  const page1 = await s.awsJson<any>(
    'eks',
    'list-fargate-profiles',
    '--cluster-name',
    'demo',
    '--max-results',
    '2',
    '--no-paginate',
  );
  assert.deepEqual(page1.fargateProfileNames, ['app-ns-app', 'fp-default']);
  assert.ok(page1.nextToken);
  const page2 = await s.awsJson<any>(
    'eks',
    'list-fargate-profiles',
    '--cluster-name',
    'demo',
    '--max-results',
    '2',
    '--no-paginate',
    '--next-token',
    page1.nextToken,
  );
  assert.deepEqual(page2.fargateProfileNames, ['ops-kube-system']);
  assert.equal(page2.nextToken, undefined);
  const all = await s.awsJson<any>('eks', 'list-fargate-profiles', '--cluster-name', 'demo', '--page-size', '1');
  assert.deepEqual(all.fargateProfileNames, ['app-ns-app', 'fp-default', 'ops-kube-system']);

  const arn = described.fargateProfile.fargateProfileArn;
  assert.equal((await s.aws('eks', 'tag-resource', '--resource-arn', arn, '--tags', 'extra=1')).code, 0);
  assert.deepEqual((await s.awsJson<any>('eks', 'list-tags-for-resource', '--resource-arn', arn)).tags, {
    team: 'a',
    extra: '1',
  });
  assert.equal((await s.aws('eks', 'untag-resource', '--resource-arn', arn, '--tag-keys', 'team')).code, 0);
  assert.deepEqual((await s.awsJson<any>('eks', 'list-tags-for-resource', '--resource-arn', arn)).tags, { extra: '1' });

  const deleted = await s.awsJson<any>(
    'eks',
    'delete-fargate-profile',
    '--cluster-name',
    'demo',
    '--fargate-profile-name',
    'app-ns-app',
  );
  assert.equal(deleted.fargateProfile.status, 'DELETING');
  assert.equal(
    (
      await s.aws(
        'eks',
        'wait',
        'fargate-profile-deleted',
        '--cluster-name',
        'demo',
        '--fargate-profile-name',
        'app-ns-app',
      )
    ).code,
    0,
  );
  await expectError(
    ['eks', 'describe-fargate-profile', '--cluster-name', 'demo', '--fargate-profile-name', 'app-ns-app'],
    'ResourceNotFoundException',
    'DescribeFargateProfile',
    'No Fargate Profile found with name: app-ns-app.',
  );
});

test('every validation error, as aws prints it', async () => {
  const C = 'CreateFargateProfile';
  const ns = ['--selectors', '[{"namespace":"x"}]'];
  await expectError(
    fp('x', ...ns, '--subnets', publicSubnets[0]),
    'InvalidParameterException',
    C,
    `Subnet ${publicSubnets[0]} provided in Fargate Profile is not a private subnet`,
  );
  await expectError(
    fp('eks-x', ...ns),
    'InvalidParameterException',
    C,
    "The fargate profile name starts with the reserved prefix: 'eks-'.",
  );
  await expectError(
    fp('fp-default', ...ns),
    'ResourceInUseException',
    C,
    'A Fargate Profile already exists with this name in this cluster.',
  );
  await expectError(fp('x'), 'InvalidParameterException', C, 'Fargate Profile requires at least one selector.');
  await expectError(
    fp('x', '--selectors', '[{"labels":{"a":"b"}}]'),
    'InvalidParameterException',
    C,
    'Fargate Profile must have at least one selector with at least one namespace value.',
  );
  await expectError(
    fp('x', '--selectors', JSON.stringify(Array.from({ length: 6 }, (_, i) => ({ namespace: `n${i}` })))),
    'InvalidParameterException',
    C,
    'Fargate Profile cannot have more than 5 selectors.',
  );
  const six = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`k${i}`, 'v']));
  await expectError(
    fp('x', '--selectors', JSON.stringify([{ namespace: 'n', labels: six }])),
    'InvalidParameterException',
    C,
    'Request contains Selector with more than 5 Label pairs',
  );
  await expectError(
    [
      'eks',
      'create-fargate-profile',
      '--cluster-name',
      'demo',
      '--fargate-profile-name',
      'x',
      '--pod-execution-role-arn',
      'arn:aws:iam::111122223333:role/a/b',
      ...ns,
    ],
    'InvalidParameterException',
    C,
    'Invalid PodExecutionRoleArn: arn:aws:iam::111122223333:role/a/b. Expected arn:aws:iam::<account-id>:role/<role-name>.',
  );
  await expectError(
    [
      'eks',
      'create-fargate-profile',
      '--cluster-name',
      'nope',
      '--fargate-profile-name',
      'x',
      '--pod-execution-role-arn',
      ROLE,
      ...ns,
    ],
    'ResourceNotFoundException',
    C,
    'No cluster found for name: nope.',
  );
  await expectError(
    ['eks', 'delete-fargate-profile', '--cluster-name', 'demo', '--fargate-profile-name', 'ghost'],
    'ResourceNotFoundException',
    'DeleteFargateProfile',
    'No Fargate Profile found with name: ghost.',
  );
  await expectError(
    ['eks', 'list-fargate-profiles', '--cluster-name', 'nope'],
    'ResourceNotFoundException',
    'ListFargateProfiles',
    'No cluster found for name: nope.',
  );
});

test('a request with a bad or missing signature is refused and changes nothing', async () => {
  const before = await s.store.currentRevision();
  const unsigned = await fetch(`${s.api.url}/clusters/demo/fargate-profiles`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fargateProfileName: 'sneaky', podExecutionRoleArn: ROLE, selectors: [{ namespace: 'a' }] }),
  });
  assert.equal(unsigned.status, 403);
  assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  assert.deepEqual(await unsigned.json(), { message: 'Missing Authentication Token' });

  const stranger = { ...s.env };
  delete stranger.AWS_SHARED_CREDENTIALS_FILE;
  Object.assign(stranger, {
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  });
  const { execFile } = await import('node:child_process');
  const run = (env: NodeJS.ProcessEnv) =>
    new Promise<string>((resolve) => {
      execFile(
        'aws',
        ['--endpoint-url', s.api.url, '--region', REGION, ...fp('sneaky', '--selectors', '[{"namespace":"a"}]')],
        { env },
        (_e, _o, stderr) => resolve(stderr.trim()),
      );
    });
  assert.equal(
    await run(stranger),
    'An error occurred (UnrecognizedClientException) when calling the CreateFargateProfile operation: The security token included in the request is invalid.',
  );
  const wrongSecret = { ...stranger, AWS_ACCESS_KEY_ID: s.creds.accessKeyId };
  assert.equal(
    await run(wrongSecret),
    'An error occurred (InvalidSignatureException) when calling the CreateFargateProfile operation: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
  assert.equal(await s.store.currentRevision(), before, 'nothing was written');
  assert.deepEqual(
    (await s.awsJson<any>('eks', 'list-fargate-profiles', '--cluster-name', 'demo')).fargateProfileNames.includes(
      'sneaky',
    ),
    false,
  );
});

test('sts get-caller-identity on the same endpoint', async () => {
  const id = await s.awsJson<any>('sts', 'get-caller-identity');
  assert.equal(id.Account, s.creds.accountId);
});
