// @aws-sdk/client-eks against a standalone Skiff EKS API: the profile lifecycle with waiters, one transition at a
// time, idempotency, the 10-profile quota, a restart mid-transition, node groups, and forged requests.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  CreateFargateProfileCommand,
  CreateNodegroupCommand,
  DeleteFargateProfileCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
  paginateListFargateProfiles,
  waitUntilFargateProfileActive,
  waitUntilFargateProfileDeleted,
  waitUntilNodegroupActive,
} from '@aws-sdk/client-eks';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest as SignedHttpRequest } from '@smithy/types';
import { REGION, ROLE, type Standalone, sleep, standalone } from './eks-support.js';

let s: Standalone;
let eks: EKSClient;
const client = () =>
  new EKSClient({
    region: REGION,
    endpoint: s.api.url,
    credentials: { accessKeyId: s.creds.accessKeyId, secretAccessKey: s.creds.secretAccessKey },
  });
before(async () => {
  s = await standalone({ delayMs: 400 });
  eks = client();
});
after(() => s.close());

const waiter = () => ({ client: eks, maxWaitTime: 20, minDelay: 1, maxDelay: 1 });
const create = (name: string, extra: Record<string, unknown> = {}) =>
  eks.send(
    new CreateFargateProfileCommand({
      clusterName: 'demo',
      fargateProfileName: name,
      podExecutionRoleArn: ROLE,
      selectors: [{ namespace: name }],
      ...extra,
    }),
  );
async function rejects(p: Promise<unknown>, name: string, status: number, message: string) {
  await assert.rejects(p, (e: any) => {
    assert.equal(e.name, name);
    assert.equal(e.$metadata.httpStatusCode, status);
    assert.equal(e.message, message);
    return true;
  });
}

test('the SDK runs the whole lifecycle with its waiters', async () => {
  const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'demo' }));
  assert.ok(cluster?.createdAt instanceof Date);
  const versions = await eks.send(new DescribeClusterVersionsCommand({}));
  assert.equal(versions.clusterVersions?.[0].clusterVersion, '1.32');
  const out = await create('sdk', { selectors: [{ namespace: 'sdk', labels: { app: 'x' } }], tags: { a: 'b' } });
  assert.equal(out.fargateProfile?.status, 'CREATING');
  assert.ok(out.fargateProfile?.createdAt instanceof Date);
  await waitUntilFargateProfileActive(waiter(), { clusterName: 'demo', fargateProfileName: 'sdk' });
  const names: string[] = [];
  for await (const page of paginateListFargateProfiles({ client: eks, pageSize: 1 }, { clusterName: 'demo' }))
    names.push(...(page.fargateProfileNames ?? []));
  assert.deepEqual(names, ['sdk']);
  await eks.send(new DeleteFargateProfileCommand({ clusterName: 'demo', fargateProfileName: 'sdk' }));
  await waitUntilFargateProfileDeleted(waiter(), { clusterName: 'demo', fargateProfileName: 'sdk' });
  await rejects(
    eks.send(new DescribeFargateProfileCommand({ clusterName: 'demo', fargateProfileName: 'sdk' })),
    'ResourceNotFoundException',
    404,
    'No Fargate Profile found with name: sdk.',
  );
});

test('one profile CREATING or DELETING at a time, with the EKS messages', async () => {
  await create('p0');
  await rejects(
    create('p1'),
    'ResourceInUseException',
    409,
    'Cannot create Fargate Profile p1 because cluster demo currently has Fargate profile p0 in status CREATING',
  );
  await waitUntilFargateProfileActive(waiter(), { clusterName: 'demo', fargateProfileName: 'p0' });
  await create('p1');
  await waitUntilFargateProfileActive(waiter(), { clusterName: 'demo', fargateProfileName: 'p1' });
  await eks.send(new DeleteFargateProfileCommand({ clusterName: 'demo', fargateProfileName: 'p1' }));
  await rejects(
    create('p2'),
    'ResourceInUseException',
    409,
    'Cannot create Fargate Profile p2 because cluster demo currently has Fargate profile p1 in status DELETING',
  );
  await rejects(
    eks.send(new DeleteFargateProfileCommand({ clusterName: 'demo', fargateProfileName: 'p0' })),
    'ResourceInUseException',
    409,
    'Cannot Delete Fargate Profile p0 because cluster demo currently has Fargate profile p1 in status DELETING',
  );
  await waitUntilFargateProfileDeleted(waiter(), { clusterName: 'demo', fargateProfileName: 'p1' });
});

test('clientRequestToken makes a retried create return the same profile', async () => {
  const token = 'c0ffee00-0000-4000-8000-000000000001';
  const first = await create('idem', { clientRequestToken: token });
  const again = await create('idem', { clientRequestToken: token });
  assert.equal(again.fargateProfile?.fargateProfileArn, first.fargateProfile?.fargateProfileArn);
  await waitUntilFargateProfileActive(waiter(), { clusterName: 'demo', fargateProfileName: 'idem' });
});

test('the 11th profile is refused', async () => {
  const have = (await eks.send(new ListFargateProfilesCommand({ clusterName: 'demo' }))).fargateProfileNames ?? [];
  for (let i = have.length; i < 10; i++) {
    await create(`q${i}`);
    await waitUntilFargateProfileActive(waiter(), { clusterName: 'demo', fargateProfileName: `q${i}` });
  }
  await rejects(
    create('eleven'),
    'ResourceLimitExceededException',
    400,
    'Cluster demo already has the maximum of 10 Fargate profiles.',
  );
});

test('a profile left CREATING when the server stopped becomes ACTIVE after a restart; ids survive', async () => {
  for (const name of (await eks.send(new ListFargateProfilesCommand({ clusterName: 'demo' }))).fargateProfileNames ??
    []) {
    await eks.send(new DeleteFargateProfileCommand({ clusterName: 'demo', fargateProfileName: name }));
    await waitUntilFargateProfileDeleted(waiter(), { clusterName: 'demo', fargateProfileName: name });
  }
  const vpcBefore = (await eks.send(new DescribeClusterCommand({ name: 'demo' }))).cluster?.resourcesVpcConfig;
  await create('survivor');
  await s.api.close();
  await sleep(600);
  await s.restart(400);
  eks = client();
  const after = await eks.send(
    new DescribeFargateProfileCommand({ clusterName: 'demo', fargateProfileName: 'survivor' }),
  );
  assert.equal(after.fargateProfile?.status, 'ACTIVE');
  assert.deepEqual(
    (await eks.send(new DescribeClusterCommand({ name: 'demo' }))).cluster?.resourcesVpcConfig,
    vpcBefore,
  );
});

test('node groups: create, describe, list, delete, errors', async () => {
  const vpc = (await eks.send(new DescribeClusterCommand({ name: 'demo' }))).cluster?.resourcesVpcConfig;
  const out = await eks.send(
    new CreateNodegroupCommand({
      clusterName: 'demo',
      nodegroupName: 'ng-1',
      nodeRole: 'arn:aws:iam::111122223333:role/node',
      subnets: vpc?.subnetIds?.slice(2),
      scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
      instanceTypes: ['m5.large'],
      labels: { role: 'worker' },
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NO_SCHEDULE' }],
    }),
  );
  assert.equal(out.nodegroup?.status, 'CREATING');
  await waitUntilNodegroupActive(
    { client: eks, maxWaitTime: 20, minDelay: 1, maxDelay: 1 },
    { clusterName: 'demo', nodegroupName: 'ng-1' },
  );
  const ng = (await eks.send(new DescribeNodegroupCommand({ clusterName: 'demo', nodegroupName: 'ng-1' }))).nodegroup;
  assert.deepEqual(ng?.scalingConfig, { minSize: 1, maxSize: 3, desiredSize: 2 });
  assert.deepEqual(ng?.taints, [{ key: 'dedicated', value: 'gpu', effect: 'NO_SCHEDULE' }]);
  assert.deepEqual((await eks.send(new ListNodegroupsCommand({ clusterName: 'demo' }))).nodegroups, ['ng-1']);
  await rejects(
    eks.send(
      new CreateNodegroupCommand({
        clusterName: 'demo',
        nodegroupName: 'ng-1',
        nodeRole: 'arn:aws:iam::111122223333:role/node',
        subnets: vpc?.subnetIds,
      }),
    ),
    'ResourceInUseException',
    409,
    'NodeGroup already exists with name ng-1 and cluster name demo',
  );
  assert.equal(
    (await eks.send(new DeleteNodegroupCommand({ clusterName: 'demo', nodegroupName: 'ng-1' }))).nodegroup?.status,
    'DELETING',
  );
  await sleep(700);
  await rejects(
    eks.send(new DescribeNodegroupCommand({ clusterName: 'demo', nodegroupName: 'ng-1' })),
    'ResourceNotFoundException',
    404,
    'No node group found for name: ng-1.',
  );
});

async function signed(body: string, date: Date) {
  const url = new URL(`${s.api.url}/clusters/demo/fargate-profiles`);
  const signer = new SignatureV4({ credentials: s.creds, region: REGION, service: 'eks', sha256: Sha256 });
  return signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    }),
    { signingDate: date },
  );
}
const profileBody = (name: string) =>
  JSON.stringify({ fargateProfileName: name, podExecutionRoleArn: ROLE, selectors: [{ namespace: 'a' }] });
const post = (req: SignedHttpRequest, body: string) =>
  fetch(`${s.api.url}${req.path}`, { method: 'POST', headers: req.headers, body });

test('a tampered body, a tampered header or an old signature is refused and writes nothing', async () => {
  const before = await s.store.currentRevision();
  const req = await signed(profileBody('honest'), new Date());
  const tampered = await post(req, profileBody('forged'));
  assert.equal(tampered.status, 403);
  assert.equal(tampered.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
  const headerTampered = await post(
    { ...req, headers: { ...req.headers, 'content-type': 'text/plain' } } as SignedHttpRequest,
    profileBody('honest'),
  );
  assert.equal(headerTampered.status, 403);
  const old = new Date(Date.now() - 10 * 60_000);
  const stale = await post(await signed(profileBody('stale'), old), profileBody('stale'));
  assert.equal(stale.status, 403);
  const { message } = (await stale.json()) as { message: string };
  assert.match(
    message,
    /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
  );
  assert.equal(await s.store.currentRevision(), before);
  const good = await post(req, profileBody('honest'));
  assert.equal(good.status, 200, await good.clone().text());
});
