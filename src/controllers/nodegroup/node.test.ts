// The Node of a node-group instance, the host it goes to, and which nodes scale-in removes: pure rules, by table.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodegroupInfo } from '../../cloud/facts.js';
import type { KubeObject } from '../../kube/api/types.js';
import { hostLease } from '../../scheduler/hosts/testing.js';
import { liveHosts, pickHost } from './hosts.js';
import { instanceType } from './instance-types.js';
import { amiId, launchTemplateId, type NodegroupNodeInput, nodegroupNode, patchOf } from './node.js';
import { nodesToRemove } from './reconcile.js';

const ng: NodegroupInfo = {
  name: 'workers',
  status: 'ACTIVE',
  desiredSize: 2,
  instanceTypes: ['m5.large'],
  subnets: ['subnet-0private0a'],
  capacityType: 'ON_DEMAND',
  amiType: 'AL2023_x86_64_STANDARD',
  labels: { team: 'web' },
  taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
  releaseVersion: '1.32.9-20251120',
};

function input(over: Partial<NodegroupNodeInput> = {}): NodegroupNodeInput {
  return {
    clusterName: 'skiff',
    region: 'ap-northeast-2',
    kubernetesVersion: '1.32',
    nodegroup: ng,
    type: instanceType('m5.large')!,
    ip: '10.0.130.7',
    zone: 'ap-northeast-2a',
    podIps: ['10.0.130.8', '10.0.130.9'],
    host: 'host-1',
    instanceId: 'i-0123456789abcdef0',
    now: '2025-01-01T00:00:00Z',
    ...over,
  };
}

describe('nodegroupNode', () => {
  const node = nodegroupNode(input());
  it('is named by its private DNS name', () => {
    assert.equal(node.metadata.name, 'ip-10-0-130-7.ap-northeast-2.compute.internal');
    assert.equal(nodegroupNode(input({ region: 'us-east-1' })).metadata.name, 'ip-10-0-130-7.ec2.internal');
  });
  it('carries the labels of an EKS managed node group node', () => {
    assert.deepEqual(node.metadata.labels, {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/instance-type': 'm5.large',
      'beta.kubernetes.io/os': 'linux',
      'eks.amazonaws.com/capacityType': 'ON_DEMAND',
      'eks.amazonaws.com/nodegroup': 'workers',
      'eks.amazonaws.com/nodegroup-image': amiId('ap-northeast-2', 'AL2023_x86_64_STANDARD', '1.32.9-20251120'),
      'eks.amazonaws.com/sourceLaunchTemplateId': launchTemplateId('skiff', 'workers'),
      'eks.amazonaws.com/sourceLaunchTemplateVersion': '1',
      'failure-domain.beta.kubernetes.io/region': 'ap-northeast-2',
      'failure-domain.beta.kubernetes.io/zone': 'ap-northeast-2a',
      'k8s.io/cloud-provider-aws': node.metadata.labels!['k8s.io/cloud-provider-aws'],
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'ip-10-0-130-7.ap-northeast-2.compute.internal',
      'kubernetes.io/os': 'linux',
      'node.kubernetes.io/instance-type': 'm5.large',
      team: 'web',
      'topology.kubernetes.io/region': 'ap-northeast-2',
      'topology.kubernetes.io/zone': 'ap-northeast-2a',
    });
    assert.match(node.metadata.labels!['k8s.io/cloud-provider-aws'], /^[0-9a-f]{32}$/);
    assert.match(node.metadata.labels!['eks.amazonaws.com/nodegroup-image'], /^ami-[0-9a-f]{17}$/);
  });
  it('has the group taints, the provider ID, addresses and the skiff annotations', () => {
    assert.deepEqual(node.spec!.taints, [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }]);
    assert.equal(node.spec!.providerID, 'aws:///ap-northeast-2a/i-0123456789abcdef0');
    assert.deepEqual(node.status!.addresses, [
      { type: 'InternalIP', address: '10.0.130.7' },
      { type: 'InternalDNS', address: 'ip-10-0-130-7.ap-northeast-2.compute.internal' },
      { type: 'Hostname', address: 'ip-10-0-130-7.ap-northeast-2.compute.internal' },
    ]);
    assert.equal(node.metadata.annotations!['skiff.io/host'], 'host-1');
    assert.equal(node.metadata.annotations!['skiff.io/pod-ips'], '10.0.130.8,10.0.130.9');
    assert.equal(node.status!.daemonEndpoints.kubeletEndpoint.Port, 10250);
    assert.equal(node.status!.allocatable.pods, '29');
    assert.equal(node.status!.conditions.find((c: any) => c.type === 'Ready').status, 'True');
  });
  it('reports the OS of its AMI type', () => {
    const info = node.status!.nodeInfo;
    assert.equal(info.osImage.startsWith('Amazon Linux 2023'), true);
    assert.match(info.kubeletVersion, /^v1\.32\.9-eks-[0-9a-f]{7}$/);
    assert.match(info.containerRuntimeVersion, /^containerd:\/\//);
    const arm = nodegroupNode(
      input({ nodegroup: { ...ng, amiType: 'AL2023_ARM_64_STANDARD', taints: [] }, type: instanceType('m7g.large')! }),
    );
    assert.equal(arm.status!.nodeInfo.architecture, 'arm64');
    assert.equal(arm.metadata.labels!['kubernetes.io/arch'], 'arm64');
    assert.equal(arm.spec!.taints, undefined);
    const al2 = nodegroupNode(input({ nodegroup: { ...ng, amiType: 'AL2_x86_64' } }));
    assert.equal(al2.status!.nodeInfo.osImage, 'Amazon Linux 2');
  });
  it('reads the patch version of a release', () => {
    assert.equal(patchOf('1.32.9-20251120'), 9);
    assert.equal(patchOf('1.32.0-skiff'), 0);
    assert.equal(patchOf('weird'), 0);
  });
});

const renewed = (ago: number, now: number) => new Date(now - ago).toISOString();

const capacity = { cpuMillis: 8000, memoryMiB: 32768, sandboxes: 10 };
const lease = (name: string, renewTime: string, declared: unknown = capacity) =>
  hostLease(name, declared, new Date(renewTime));

const onHost = (host: string, type: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: `n-${host}-${Math.random()}`,
    labels: { 'node.kubernetes.io/instance-type': type },
    annotations: { 'skiff.io/host': host },
  },
});

describe('hosts', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('only live leases with a capacity count', () => {
    const hosts = liveHosts(
      [lease('a', renewed(5000, now)), lease('b', renewed(60_000, now)), lease('c', renewed(0, now), 'bad')],
      now,
    );
    assert.deepEqual(
      hosts.map((h) => h.name),
      ['a'],
    );
  });
  const hosts = liveHosts([lease('a', renewed(0, now)), lease('b', renewed(0, now))], now);
  const need = { cpuMillis: 2000, memoryMiB: 8192 };
  const cases: [string, KubeObject[], string | undefined][] = [
    ['empty hosts: by name', [], 'a'],
    ['the less loaded host', [onHost('a', 'm5.large')], 'b'],
    ['none has CPU left', ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'].map((h) => onHost(h, 'm5.large')), undefined],
    [
      'memory counts',
      [onHost('a', 'r5.large'), onHost('a', 'r5.large'), ...['b', 'b', 'b'].map((h) => onHost(h, 'm5.large'))],
      'b',
    ],
  ];
  for (const [what, nodes, expected] of cases) it(what, () => assert.equal(pickHost(hosts, nodes, need), expected));
  it('a Fargate node takes the size fargate-scheduler reserved', () => {
    const fargate: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'fargate-ip-10-0-128-9',
        annotations: { 'skiff.io/host': 'a', 'skiff.io/reserved': '{"cpuMillis":6500,"memoryMiB":2048}' },
      },
    };
    assert.equal(pickHost(hosts, [fargate], need), 'b');
    assert.equal(
      pickHost(hosts, [{ ...fargate, metadata: { ...fargate.metadata, annotations: { 'skiff.io/host': 'a' } } }], need),
      'b',
    );
    assert.equal(pickHost(hosts.slice(0, 1), [fargate], need), undefined);
  });
  it('a host holds at most `sandboxes` nodes', () => {
    const small = liveHosts([lease('s', renewed(0, now), { cpuMillis: 64000, memoryMiB: 262144, sandboxes: 1 })], now);
    assert.equal(pickHost(small, [onHost('s', 't3.nano')], need), undefined);
  });
});

describe('nodesToRemove', () => {
  const node = (name: string, zone: string, created: string, unschedulable = false): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, creationTimestamp: created, labels: { 'topology.kubernetes.io/zone': zone } },
    spec: unschedulable ? { unschedulable } : {},
  });
  const nodes = [
    node('a1', 'a', '2025-01-01T00:00:00Z'),
    node('a2', 'a', '2025-01-01T00:00:02Z'),
    node('b1', 'b', '2025-01-01T00:00:01Z'),
    node('b2', 'b', '2025-01-01T00:00:03Z', true),
  ];
  const cases: [number, string[]][] = [
    [0, []],
    [1, ['b2']],
    [2, ['b2', 'a2']],
    [3, ['b2', 'a2', 'b1']],
    [9, ['b2', 'a2', 'b1', 'a1']],
  ];
  for (const [count, names] of cases) {
    it(`${count} → ${names.join(',')}`, () =>
      assert.deepEqual(
        nodesToRemove(nodes, count).map((n) => n.metadata.name),
        names,
      ));
  }
});
