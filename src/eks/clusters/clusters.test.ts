// The cluster lifecycle operations against the in-process EKS API: CreateCluster's checks and CREATING → ACTIVE
// (done by hand here, as src/cli's fleet does once the cluster's kube API answers), UpdateClusterVersion and
// UpdateClusterConfig as Updates with EKS' texts, DeleteCluster's refusals and DELETING → gone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestEksApi, type TestEksApi } from '../testing/api.js';
import { forgetCluster, recordClusterEndpoint } from './lifecycle.js';

let api: TestEksApi;
let subnets: string[];
const role = 'arn:aws:iam::111122223333:role/eks-cluster';

before(async () => {
  api = await startTestEksApi();
  subnets = (await api.call('GET', '/clusters/skiff')).body.cluster.resourcesVpcConfig.subnetIds;
});
after(() => api.close());

const json = (value: unknown) => JSON.stringify(value);
const create = (body: Record<string, unknown>) =>
  api.call('POST', '/clusters', json({ roleArn: role, resourcesVpcConfig: { subnetIds: subnets }, ...body }));

async function expectError(
  reply: Promise<{ status: number; errorType?: string; body: any }>,
  type: string,
  message: string,
) {
  const r = await reply;
  assert.equal(r.errorType, type, JSON.stringify(r.body));
  assert.equal(r.body.message, message);
}

async function activate(name: string) {
  await recordClusterEndpoint(api.store, name, { endpoint: 'https://127.0.0.1:7443', caCertPem: 'CA', kubePort: 7443 });
}

async function waitUpdate(name: string, id: string) {
  for (let i = 0; i < 100; i++) {
    const { update } = (await api.call('GET', `/clusters/${name}/updates/${id}`)).body;
    if (update.status !== 'InProgress') return update;
    await sleep(20);
  }
  throw new Error('update did not complete');
}

describe('CreateCluster', () => {
  it('refuses what EKS refuses, with its texts', async () => {
    await expectError(create({ name: 'skiff' }), 'ResourceInUseException', 'Cluster already exists with name: skiff');
    await expectError(
      create({ name: 'a', version: '1.27' }),
      'InvalidParameterException',
      'unsupported Kubernetes version',
    );
    await expectError(
      create({ name: 'a', resourcesVpcConfig: { subnetIds: [subnets[0]] } }),
      'InvalidParameterException',
      'Subnets specified must be in at least two different AZs',
    );
    await expectError(
      create({ name: 'a', resourcesVpcConfig: { subnetIds: ['subnet-nope', subnets[0]] } }),
      'InvalidParameterException',
      "The subnet ID 'subnet-nope' does not exist",
    );
    const badName = await create({ name: '-x' });
    assert.equal(badName.errorType, 'InvalidParameterException');
  });

  it('stores the cluster CREATING without an endpoint, ACTIVE with it once its kube API answers', async () => {
    const created = await create({
      name: 'second',
      version: '1.31',
      tags: { team: 'a' },
      logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] },
    });
    assert.equal(created.status, 200, json(created.body));
    const cluster = created.body.cluster;
    assert.equal(cluster.status, 'CREATING');
    assert.equal(cluster.endpoint, undefined);
    assert.equal(cluster.kubernetesNetworkConfig.serviceIpv4Cidr, '172.20.0.0/16');
    assert.deepEqual(cluster.logging.clusterLogging, [
      { types: ['api', 'audit'], enabled: true },
      { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false },
    ]);
    assert.equal(cluster.accessConfig.authenticationMode, 'API_AND_CONFIG_MAP');
    await activate('second');
    const active = (await api.call('GET', '/clusters/second')).body.cluster;
    assert.equal(active.status, 'ACTIVE');
    assert.equal(active.endpoint, 'https://127.0.0.1:7443');
    assert.equal(Buffer.from(active.certificateAuthority.data, 'base64').toString(), 'CA');
    assert.deepEqual((await api.call('GET', '/clusters')).body.clusters, ['second', 'skiff']);
    const creator = await api.call('GET', '/clusters/second/access-entries');
    assert.equal(creator.body.accessEntries.length, 1);
  });
});

describe('UpdateClusterVersion', () => {
  it('moves one minor at a time, as an Update that ends Successful', async () => {
    await expectError(
      api.call('POST', '/clusters/second/updates', json({ version: '1.30' })),
      'InvalidParameterException',
      'Unsupported Kubernetes minor version update from 1.31 to 1.30',
    );
    const started = await api.call('POST', '/clusters/second/updates', json({ version: '1.32' }));
    assert.equal(started.status, 200, json(started.body));
    const { update } = started.body;
    assert.equal(update.status, 'InProgress');
    assert.equal(update.type, 'VersionUpdate');
    assert.deepEqual(update.params[0], { type: 'Version', value: '1.32' });
    assert.equal((await api.call('GET', '/clusters/second')).body.cluster.status, 'UPDATING');
    await expectError(
      api.call(
        'POST',
        '/clusters/second/update-config',
        json({ logging: { clusterLogging: [{ types: ['scheduler'], enabled: true }] } }),
      ),
      'ResourceInUseException',
      `Cannot LoggingUpdate because cluster second currently has update ${update.id} in progress`,
    );
    assert.equal((await waitUpdate('second', update.id)).status, 'Successful');
    const cluster = (await api.call('GET', '/clusters/second')).body.cluster;
    assert.equal(cluster.version, '1.32');
    assert.equal(cluster.status, 'ACTIVE');
    assert.deepEqual((await api.call('GET', '/clusters/second/updates')).body.updateIds, [update.id]);
    await expectError(
      api.call('POST', '/clusters/second/updates', json({ version: '1.33' })),
      'InvalidParameterException',
      'unsupported Kubernetes version',
    );
  });
});

describe('UpdateClusterConfig', () => {
  it('takes one kind of change per call and refuses no-ops and backward authentication modes', async () => {
    await expectError(
      api.call(
        'POST',
        '/clusters/second/update-config',
        json({
          resourcesVpcConfig: { endpointPrivateAccess: true },
          logging: { clusterLogging: [{ types: ['api'], enabled: false }] },
        }),
      ),
      'InvalidParameterException',
      'Only one type of update can be allowed.',
    );
    await expectError(
      api.call(
        'POST',
        '/clusters/second/update-config',
        json({ logging: { clusterLogging: [{ types: ['api'], enabled: true }] } }),
      ),
      'InvalidParameterException',
      'No changes needed for the logging config provided',
    );
    await expectError(
      api.call('POST', '/clusters/second/update-config', json({ accessConfig: { authenticationMode: 'CONFIG_MAP' } })),
      'InvalidParameterException',
      'Unsupported authentication mode update from API_AND_CONFIG_MAP to CONFIG_MAP',
    );
    const access = await api.call(
      'POST',
      '/clusters/second/update-config',
      json({ accessConfig: { authenticationMode: 'API' } }),
    );
    assert.equal(access.body.update.type, 'AccessConfigUpdate');
    await waitUpdate('second', access.body.update.id);
    const endpoint = await api.call(
      'POST',
      '/clusters/second/update-config',
      json({ resourcesVpcConfig: { endpointPrivateAccess: true, publicAccessCidrs: ['203.0.113.0/24'] } }),
    );
    assert.equal(endpoint.body.update.type, 'EndpointAccessUpdate');
    await waitUpdate('second', endpoint.body.update.id);
    const cluster = (await api.call('GET', '/clusters/second')).body.cluster;
    assert.equal(cluster.accessConfig.authenticationMode, 'API');
    assert.equal(cluster.resourcesVpcConfig.endpointPrivateAccess, true);
    assert.deepEqual(cluster.resourcesVpcConfig.publicAccessCidrs, ['203.0.113.0/24']);
  });

  it('refuses Secrets encryption when the server has none to offer', async () => {
    await expectError(
      api.call(
        'POST',
        '/clusters/second/encryption-config/associate',
        json({
          encryptionConfig: [
            { resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:ap-northeast-2:111122223333:key/abc' } },
          ],
        }),
      ),
      'InvalidRequestException',
      'Secrets encryption at rest is not available on this Skiff server.',
    );
  });
});

describe('DeleteCluster', () => {
  it('refuses the built-in cluster and clusters with Fargate profiles; DELETING, then gone', async () => {
    const builtIn = await api.call('DELETE', '/clusters/skiff');
    assert.equal(builtIn.errorType, 'InvalidRequestException');
    const profile = json({
      fargateProfileName: 'fp',
      podExecutionRoleArn: role,
      selectors: [{ namespace: 'default' }],
    });
    assert.equal((await api.call('POST', '/clusters/second/fargate-profiles', profile)).status, 200);
    await expectError(
      api.call('DELETE', '/clusters/second'),
      'ResourceInUseException',
      'Cluster has Fargate Profiles in ACTIVE/CREATING state',
    );
    await sleep(100);
    assert.equal((await api.call('DELETE', '/clusters/second/fargate-profiles/fp')).status, 200);
    await sleep(100);
    const deleting = await api.call('DELETE', '/clusters/second');
    assert.equal(deleting.body.cluster.status, 'DELETING');
    await forgetCluster(api.store, 'second');
    await expectError(
      api.call('GET', '/clusters/second'),
      'ResourceNotFoundException',
      'No cluster found for name: second.',
    );
    assert.deepEqual((await api.call('GET', '/clusters/second/access-entries')).status, 404);
  });
});

describe('hostile bodies', () => {
  it('answers members of the wrong shape with the service errors, never a 500', async () => {
    const bodies: Record<string, unknown>[] = [
      { name: 'h', resourcesVpcConfig: 'x' },
      { name: 'h', resourcesVpcConfig: { subnetIds: 'x' } },
      { name: 'h', resourcesVpcConfig: { subnetIds: subnets, endpointPublicAccess: 'yes' } },
      { name: 'h', logging: { clusterLogging: 'x' } },
      { name: 'h', logging: { clusterLogging: [{ types: ['nope'], enabled: true }] } },
      { name: 'h', logging: [] },
      { name: 'h', accessConfig: [] },
      { name: 'h', accessConfig: { authenticationMode: 5 } },
      { name: 'h', encryptionConfig: [{ provider: 5 }] },
      { name: 'h', encryptionConfig: 'x' },
      { name: 'h', kubernetesNetworkConfig: { serviceIpv4Cidr: '8.8.0.0/16' } },
      { name: 'h', kubernetesNetworkConfig: { serviceIpv4Cidr: '10.0.0.0/16' } },
      { name: 'h', kubernetesNetworkConfig: { serviceIpv4Cidr: 'nope' } },
      { name: 'h', upgradePolicy: { supportType: 'FOREVER' } },
      { name: 'h', deletionProtection: 'yes' },
      { name: 7 },
      { name: 'h', roleArn: 'not-an-arn' },
      { name: 'h', outpostConfig: {} },
    ];
    for (const body of bodies) {
      const reply = await create(body);
      assert.ok(reply.status >= 400 && reply.status < 500, `${json(body)} → ${reply.status} ${json(reply.body)}`);
      assert.doesNotMatch(reply.body.message, /undefined|TypeError|is not a function/);
    }
    const updates: Record<string, unknown>[] = [
      {},
      { resourcesVpcConfig: [] },
      { logging: { clusterLogging: [{ types: 'api' }] } },
      { accessConfig: { authenticationMode: 'SOMETIMES' } },
      { deletionProtection: 1 },
      { computeConfig: { enabled: true } },
      { resourcesVpcConfig: { subnetIds: ['subnet-nope'] } },
    ];
    for (const body of updates) {
      const reply = await api.call('POST', '/clusters/skiff/update-config', json(body));
      assert.ok(reply.status >= 400 && reply.status < 500, `${json(body)} → ${reply.status} ${json(reply.body)}`);
    }
    for (const body of [{}, { version: 5 }, { version: '1.33', force: 'x' }]) {
      const reply = await api.call('POST', '/clusters/skiff/updates', json(body));
      assert.ok(reply.status >= 400 && reply.status < 500, `${json(body)} → ${reply.status} ${json(reply.body)}`);
    }
  });
});
