// @aws-sdk/client-eks against a standalone Skiff EKS API: the model's paginators over add-on versions, add-ons and
// updates (one item a page), UpdateNodegroupConfig idempotent by client token, and the SDK's parsing of the new
// shapes and errors (DescribeAddonConfiguration, an invalid configuration, an update of a busy add-on).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateAddonCommand,
  CreateNodegroupCommand,
  DescribeAddonConfigurationCommand,
  DescribeClusterCommand,
  DescribeUpdateCommand,
  EKSClient,
  paginateDescribeAddonVersions,
  paginateListAddons,
  paginateListUpdates,
  UpdateAddonCommand,
  UpdateNodegroupConfigCommand,
  waitUntilNodegroupActive,
} from '@aws-sdk/client-eks';
import { REGION, type Standalone, standalone } from './eks-support.js';

let s: Standalone;
let eks: EKSClient;
before(async () => {
  s = await standalone({ delayMs: 200 });
  eks = new EKSClient({
    region: REGION,
    endpoint: s.api.url,
    credentials: { accessKeyId: s.creds.accessKeyId, secretAccessKey: s.creds.secretAccessKey },
  });
});
after(() => s.close());

async function collect<T>(pages: AsyncIterable<T>, key: keyof T): Promise<unknown[]> {
  const all: unknown[] = [];
  for await (const page of pages) all.push(...((page[key] as unknown[]) ?? []));
  return all;
}

test('paginators over add-on versions, add-ons and updates', async () => {
  const addons = await collect(
    paginateDescribeAddonVersions({ client: eks, pageSize: 1 }, { kubernetesVersion: '1.32' }),
    'addons',
  );
  assert.deepEqual(
    addons.map((a: any) => a.addonName),
    ['coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni'],
  );
  for (const name of ['coredns', 'kube-proxy']) {
    await eks.send(new CreateAddonCommand({ clusterName: 'demo', addonName: name }));
  }
  assert.deepEqual(await collect(paginateListAddons({ client: eks, pageSize: 1 }, { clusterName: 'demo' }), 'addons'), [
    'coredns',
    'kube-proxy',
  ]);

  const vpc = (await eks.send(new DescribeClusterCommand({ name: 'demo' }))).cluster?.resourcesVpcConfig;
  await eks.send(
    new CreateNodegroupCommand({
      clusterName: 'demo',
      nodegroupName: 'ng',
      nodeRole: 'arn:aws:iam::111122223333:role/node',
      subnets: vpc?.subnetIds?.slice(2),
    }),
  );
  await waitUntilNodegroupActive(
    { client: eks, maxWaitTime: 20, minDelay: 1, maxDelay: 1 },
    { clusterName: 'demo', nodegroupName: 'ng' },
  );
  const send = () =>
    eks.send(
      new UpdateNodegroupConfigCommand({
        clusterName: 'demo',
        nodegroupName: 'ng',
        labels: { addOrUpdateLabels: { a: 'b' } },
        clientRequestToken: 'same-token',
      }),
    );
  const first = (await send()).update!;
  assert.equal((await send()).update?.id, first.id, 'a retry with the same token is the same update');
  assert.ok(first.createdAt instanceof Date);
  const described = (
    await eks.send(new DescribeUpdateCommand({ name: 'demo', nodegroupName: 'ng', updateId: first.id }))
  ).update;
  assert.deepEqual(described?.params, [{ type: 'LabelsToAdd', value: '{"a":"b"}' }]);
  assert.deepEqual(
    await collect(
      paginateListUpdates({ client: eks, pageSize: 1 }, { name: 'demo', nodegroupName: 'ng' }),
      'updateIds',
    ),
    [first.id],
  );
});

test('add-on configuration and refusals through the SDK', async () => {
  const config = await eks.send(
    new DescribeAddonConfigurationCommand({ addonName: 'vpc-cni', addonVersion: 'v1.19.2-eksbuild.1' }),
  );
  assert.deepEqual(config.podIdentityConfiguration, [
    { serviceAccount: 'aws-node', recommendedManagedPolicies: ['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy'] },
  ]);
  await assert.rejects(
    eks.send(
      new UpdateAddonCommand({ clusterName: 'demo', addonName: 'coredns', configurationValues: 'replicaCount: 0' }),
    ),
    (e: any) => {
      assert.equal(e.name, 'InvalidParameterException');
      assert.equal(
        e.message,
        'ConfigurationValue provided in request is not supported: Json schema validation failed with error: [$.replicaCount: must have a minimum value of 1]',
      );
      return true;
    },
  );
  await assert.rejects(
    eks.send(
      new UpdateAddonCommand({ clusterName: 'demo', addonName: 'coredns', configurationValues: 'replicaCount: 3' }),
    ),
    (e: any) => {
      assert.equal(e.name, 'ResourceInUseException');
      assert.equal(e.message, 'Addon coredns cannot be updated as it is currently in CREATING state');
      return true;
    },
  );
});
