// The real aws CLI (v1) against a standalone Skiff EKS API: CreateNodegroup's every input kept and EKS's refusals,
// UpdateNodegroupConfig/UpdateNodegroupVersion answered as updates (DescribeUpdate, ListUpdates, one at a time),
// the add-on catalogue (describe-addon-versions, describe-addon-configuration), create/list/describe-addon and their
// refusals, and the operations Skiff does not run answering as EKS does for what does not exist.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Standalone, standalone } from './eks-support.js';

let s: Standalone;
let subnets: string[];
before(async () => {
  s = await standalone({ delayMs: 200 });
  const { cluster } = await s.awsJson<any>('eks', 'describe-cluster', '--name', 'demo');
  subnets = cluster.resourcesVpcConfig.subnetIds.slice(2);
});
after(() => s.close());

async function expectError(args: string[], type: string, operation: string, message: string) {
  const r = await s.aws(...args);
  assert.equal(r.code, 255, r.stderr);
  assert.equal(r.stderr.trim(), `An error occurred (${type}) when calling the ${operation} operation: ${message}`);
}

const ng = (name: string, ...extra: string[]) => [
  'eks',
  'create-nodegroup',
  '--cluster-name',
  'demo',
  '--nodegroup-name',
  name,
  '--node-role',
  'arn:aws:iam::111122223333:role/node',
  '--subnets',
  ...subnets,
  ...extra,
];

test('create-nodegroup refuses what EKS refuses, in its words', async () => {
  await expectError(
    ng('bad', '--ami-type', 'NOT_AN_AMI'),
    'InvalidParameterException',
    'CreateNodegroup',
    "1 validation error detected: Value 'NOT_AN_AMI' at 'amiType' failed to satisfy constraint: Member must satisfy enum value set: [AL2_x86_64, AL2_x86_64_GPU, AL2_ARM_64, CUSTOM, BOTTLEROCKET_ARM_64, BOTTLEROCKET_x86_64, BOTTLEROCKET_ARM_64_FIPS, BOTTLEROCKET_x86_64_FIPS, BOTTLEROCKET_ARM_64_NVIDIA, BOTTLEROCKET_x86_64_NVIDIA, BOTTLEROCKET_ARM_64_NVIDIA_FIPS, BOTTLEROCKET_x86_64_NVIDIA_FIPS, WINDOWS_CORE_2019_x86_64, WINDOWS_FULL_2019_x86_64, WINDOWS_CORE_2022_x86_64, WINDOWS_FULL_2022_x86_64, WINDOWS_CORE_2025_x86_64, WINDOWS_FULL_2025_x86_64, AL2023_x86_64_STANDARD, AL2023_ARM_64_STANDARD, AL2023_x86_64_NEURON, AL2023_x86_64_NVIDIA, AL2023_ARM_64_NVIDIA]",
  );
  await expectError(
    ng('bad', '--capacity-type', 'BOGUS'),
    'InvalidParameterException',
    'CreateNodegroup',
    "1 validation error detected: Value 'BOGUS' at 'capacityType' failed to satisfy constraint: Member must satisfy enum value set: [ON_DEMAND, SPOT, CAPACITY_BLOCK]",
  );
  await expectError(
    ng('bad', '--kubernetes-version', '1.31'),
    'InvalidParameterException',
    'CreateNodegroup',
    'Requested Nodegroup version 1.31 is invalid. Allowed values: [1.32]',
  );
  await expectError(
    ng('bad', '--launch-template', 'name=lt,version=1', '--disk-size', '50'),
    'InvalidParameterException',
    'CreateNodegroup',
    'Disk size must be specified within the launch template.',
  );
  await expectError(
    ng('bad', '--launch-template', 'name=lt', '--remote-access', 'ec2SshKey=k'),
    'InvalidParameterException',
    'CreateNodegroup',
    'Remote access configuration cannot be specified with a launch template.',
  );
});

test('create-nodegroup keeps and returns every input', async () => {
  const { nodegroup } = await s.awsJson<any>(
    ...ng(
      'kept',
      '--launch-template',
      'name=my-lt,version=3',
      '--update-config',
      'maxUnavailablePercentage=50',
      '--node-repair-config',
      'enabled=true',
      '--release-version',
      '1.32.7-20250715',
      '--scaling-config',
      'minSize=1,maxSize=4,desiredSize=2',
    ),
  );
  assert.deepEqual(nodegroup.launchTemplate, { name: 'my-lt', version: '3' });
  assert.deepEqual(nodegroup.updateConfig, { maxUnavailablePercentage: 50 });
  assert.deepEqual(nodegroup.nodeRepairConfig, { enabled: true });
  assert.equal(nodegroup.releaseVersion, '1.32.7-20250715');
  assert.equal(nodegroup.diskSize, undefined, 'the disk is the launch template’s');
  const remote = await s.awsJson<any>(...ng('remote', '--remote-access', 'ec2SshKey=my-key,sourceSecurityGroups=sg-1'));
  assert.deepEqual(remote.nodegroup.remoteAccess, { ec2SshKey: 'my-key', sourceSecurityGroups: ['sg-1'] });
  assert.equal(remote.nodegroup.diskSize, 20);
  assert.equal(remote.nodegroup.releaseVersion, '1.32.9-20251120', 'the latest release by default');
  assert.equal(
    (await s.aws('eks', 'wait', 'nodegroup-active', '--cluster-name', 'demo', '--nodegroup-name', 'kept')).code,
    0,
  );
});

test('update-nodegroup-config and update-nodegroup-version answer updates, one at a time', async () => {
  const { update } = await s.awsJson<any>(
    'eks',
    'update-nodegroup-config',
    '--cluster-name',
    'demo',
    '--nodegroup-name',
    'kept',
    '--labels',
    'addOrUpdateLabels={team=web},removeLabels=old',
    '--taints',
    'addOrUpdateTaints=[{key=dedicated,value=web,effect=NO_SCHEDULE}]',
    '--scaling-config',
    'desiredSize=3',
  );
  assert.equal(update.status, 'InProgress');
  assert.equal(update.type, 'ConfigUpdate');
  assert.deepEqual(update.params, [
    { type: 'LabelsToAdd', value: '{"team":"web"}' },
    { type: 'LabelsToRemove', value: '["old"]' },
    { type: 'TaintsToAdd', value: '[{"effect":"NO_SCHEDULE","value":"web","key":"dedicated"}]' },
    { type: 'DesiredSize', value: '3' },
  ]);
  assert.deepEqual(update.errors, []);
  const described = await s.awsJson<any>(
    'eks',
    'describe-update',
    '--name',
    'demo',
    '--nodegroup-name',
    'kept',
    '--update-id',
    update.id,
  );
  assert.deepEqual(described.update, update);
  const listed = await s.awsJson<any>('eks', 'list-updates', '--name', 'demo', '--nodegroup-name', 'kept');
  assert.deepEqual(listed.updateIds, [update.id]);
  assert.deepEqual(
    (await s.awsJson<any>('eks', 'list-updates', '--name', 'demo')).updateIds,
    [],
    'cluster updates apart',
  );
  const { nodegroup } = await s.awsJson<any>(
    'eks',
    'describe-nodegroup',
    '--cluster-name',
    'demo',
    '--nodegroup-name',
    'kept',
  );
  assert.equal(nodegroup.status, 'UPDATING');
  assert.deepEqual(nodegroup.labels, { team: 'web' });
  assert.equal(nodegroup.scalingConfig.desiredSize, 3);
  await expectError(
    ['eks', 'update-nodegroup-version', '--cluster-name', 'demo', '--nodegroup-name', 'kept'],
    'ResourceInUseException',
    'UpdateNodegroupVersion',
    'Nodegroup cannot be updated as it is currently not in Active State',
  );
  await expectError(
    ['eks', 'describe-update', '--name', 'demo', '--update-id', update.id],
    'ResourceNotFoundException',
    'DescribeUpdate',
    `No update found for ID: ${update.id}`,
  );
  await expectError(
    ['eks', 'list-updates', '--name', 'demo', '--nodegroup-name', 'nope'],
    'ResourceNotFoundException',
    'ListUpdates',
    'No node group found for name: nope.',
  );
  const version = await s.awsJson<any>(
    'eks',
    'update-nodegroup-version',
    '--cluster-name',
    'demo',
    '--nodegroup-name',
    'remote',
  );
  assert.equal(version.update.type, 'VersionUpdate');
  assert.deepEqual(version.update.params, [
    { type: 'Version', value: '1.32' },
    { type: 'ReleaseVersion', value: '1.32.9-20251120' },
  ]);
});

test('the add-on catalogue and add-ons', async () => {
  const versions = await s.awsJson<any>('eks', 'describe-addon-versions', '--kubernetes-version', '1.32');
  assert.deepEqual(
    versions.addons.map((a: any) => a.addonName),
    ['coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni'],
  );
  const coredns = versions.addons.find((a: any) => a.addonName === 'coredns');
  const defaults = coredns.addonVersions.filter((v: any) => v.compatibilities[0].defaultVersion);
  assert.deepEqual(
    defaults.map((v: any) => v.addonVersion),
    ['v1.11.4-eksbuild.2'],
  );
  for (const v of coredns.addonVersions)
    assert.deepEqual(
      v.compatibilities.map((c: any) => c.clusterVersion),
      ['1.32'],
    );
  const config = await s.awsJson<any>(
    'eks',
    'describe-addon-configuration',
    '--addon-name',
    'coredns',
    '--addon-version',
    'v1.11.4-eksbuild.2',
  );
  assert.equal(JSON.parse(config.configurationSchema).definitions.Coredns.properties.replicaCount.type, 'integer');

  await expectError(
    ['eks', 'create-addon', '--cluster-name', 'demo', '--addon-name', 'nope'],
    'InvalidParameterException',
    'CreateAddon',
    'Addon nope specified is not supported',
  );
  await expectError(
    [
      'eks',
      'create-addon',
      '--cluster-name',
      'demo',
      '--addon-name',
      'coredns',
      '--addon-version',
      'v1.10.1-eksbuild.18',
    ],
    'InvalidParameterException',
    'CreateAddon',
    'Addon version specified is not supported',
  );
  await expectError(
    [
      'eks',
      'create-addon',
      '--cluster-name',
      'demo',
      '--addon-name',
      'coredns',
      '--configuration-values',
      '{"replicaCount":"3","x":1}',
    ],
    'InvalidParameterException',
    'CreateAddon',
    'ConfigurationValue provided in request is not supported: Json schema validation failed with error: [$.x: is not defined in the schema and the schema does not allow additional properties, $.replicaCount: string found, integer expected]',
  );
  const { addon } = await s.awsJson<any>(
    'eks',
    'create-addon',
    '--cluster-name',
    'demo',
    '--addon-name',
    'coredns',
    '--configuration-values',
    '{"replicaCount":3}',
    '--resolve-conflicts',
    'OVERWRITE',
  );
  assert.equal(addon.status, 'CREATING');
  assert.equal(addon.addonVersion, 'v1.11.4-eksbuild.2');
  assert.equal(addon.configurationValues, '{"replicaCount":3}');
  assert.match(addon.addonArn, /^arn:aws:eks:ap-northeast-2:\d{12}:addon\/demo\/coredns\/[0-9a-f-]{36}$/);
  assert.deepEqual((await s.awsJson<any>('eks', 'list-addons', '--cluster-name', 'demo')).addons, ['coredns']);
  assert.equal((await s.aws('eks', 'tag-resource', '--resource-arn', addon.addonArn, '--tags', 'team=dns')).code, 0);
  assert.deepEqual(await s.awsJson('eks', 'list-tags-for-resource', '--resource-arn', addon.addonArn), {
    tags: { team: 'dns' },
  });
  await expectError(
    ['eks', 'create-addon', '--cluster-name', 'demo', '--addon-name', 'coredns'],
    'ResourceInUseException',
    'CreateAddon',
    'Addon already exists.',
  );
  await expectError(
    ['eks', 'describe-addon', '--cluster-name', 'demo', '--addon-name', 'kube-proxy'],
    'ResourceNotFoundException',
    'DescribeAddon',
    'No addon: kube-proxy found in cluster: demo',
  );
});

test('operations Skiff does not run answer as EKS does for what does not exist', async () => {
  assert.deepEqual(await s.awsJson('eks', 'list-insights', '--cluster-name', 'demo'), { insights: [] });
  assert.deepEqual(await s.awsJson('eks', 'list-eks-anywhere-subscriptions'), { subscriptions: [] });
  await expectError(
    ['eks', 'describe-insight', '--cluster-name', 'demo', '--id', 'abc'],
    'ResourceNotFoundException',
    'DescribeInsight',
    'No insight found for id: abc.',
  );
  await expectError(
    ['eks', 'describe-cluster-versions', '--next-token', 'garbage'],
    'InvalidParameterException',
    'DescribeClusterVersions',
    'The nextToken provided is invalid.',
  );
});
