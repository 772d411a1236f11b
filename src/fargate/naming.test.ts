import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  eksKubeletVersion,
  fargateNode,
  fargateNodeCapacity,
  fargateNodeName,
  ipFromNodeName,
  privateDnsName,
} from './naming.js';

const nameCases: [string, string, string, string][] = [
  [
    '10.42.11.96',
    'us-west-2',
    'fargate-ip-10-42-11-96.us-west-2.compute.internal',
    'ip-10-42-11-96.us-west-2.compute.internal',
  ],
  ['172.31.192.45', 'us-east-1', 'fargate-ip-172-31-192-45.ec2.internal', 'ip-172-31-192-45.ec2.internal'],
  [
    '10.0.0.5',
    'ap-northeast-2',
    'fargate-ip-10-0-0-5.ap-northeast-2.compute.internal',
    'ip-10-0-0-5.ap-northeast-2.compute.internal',
  ],
  [
    '192.168.1.1',
    'us-east-2',
    'fargate-ip-192-168-1-1.us-east-2.compute.internal',
    'ip-192-168-1-1.us-east-2.compute.internal',
  ],
];

for (const [ip, region, fargate, ec2] of nameCases) {
  test(`naming: ${ip} in ${region}`, () => {
    assert.equal(fargateNodeName(ip, region), fargate);
    assert.equal(privateDnsName(ip, region), ec2);
    assert.equal(ipFromNodeName(fargate), ip);
    assert.equal(ipFromNodeName(ec2), ip);
  });
}

for (const bad of ['10.0.0', '10.0.0.256', 'a.b.c.d', '10.0.0.1.2']) {
  test(`naming: ${bad} is not an IP`, () =>
    assert.throws(() => fargateNodeName(bad, 'us-west-2'), /not an IPv4 address/));
}

for (const name of ['worker-1', 'fargate-ip-10-0-0-300.x', 'ip-10-0-0.x']) {
  test(`naming: ${name} carries no IP`, () => assert.equal(ipFromNodeName(name), undefined));
}

test('kubelet version is v<release>-eks-<7 hex>, stable for a release', () => {
  const v = eksKubeletVersion('1.32', 9);
  assert.match(v, /^v1\.32\.9-eks-[0-9a-f]{7}$/);
  assert.equal(eksKubeletVersion('v1.32', 9), v);
  assert.notEqual(eksKubeletVersion('1.32', 10), v);
});

const capacityCases: [string, Parameters<typeof fargateNodeCapacity>[0], Record<string, string>][] = [
  [
    'the observed host of a 0.25 vCPU pod',
    { cpuMillis: 250, memoryMiB: 512, ephemeralStorageGiB: 20 },
    { cpu: '2', memory: '4037540Ki', 'ephemeral-storage': '30832548Ki', pods: '1' },
  ],
  [
    'a 4 vCPU 16 GB pod gets a host at least that big',
    { cpuMillis: 4000, memoryMiB: 16384, ephemeralStorageGiB: 115 },
    {
      cpu: '4',
      memory: `${4037540 + (16384 - 512) * 1024}Ki`,
      'ephemeral-storage': `${30832548 + 95 * 1024 * 1024}Ki`,
      pods: '1',
    },
  ],
];

for (const [name, input, want] of capacityCases) {
  test(`capacity: ${name}`, () => assert.deepEqual(fargateNodeCapacity(input), want));
}

test('the node of §3.4', () => {
  const node = fargateNode({
    ip: '10.42.11.96',
    region: 'us-west-2',
    zone: 'us-west-2a',
    kubeletVersion: 'v1.32.9-eks-abcdef0',
    cpuMillis: 500,
    memoryMiB: 1024,
    ephemeralStorageGiB: 20,
    now: '2026-11-23T10:00:00Z',
  });
  assert.equal(node.metadata.name, 'fargate-ip-10-42-11-96.us-west-2.compute.internal');
  assert.deepEqual(node.metadata.labels, {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'eks.amazonaws.com/compute-type': 'fargate',
    'failure-domain.beta.kubernetes.io/region': 'us-west-2',
    'failure-domain.beta.kubernetes.io/zone': 'us-west-2a',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': 'ip-10-42-11-96.us-west-2.compute.internal',
    'kubernetes.io/os': 'linux',
    'topology.kubernetes.io/region': 'us-west-2',
    'topology.kubernetes.io/zone': 'us-west-2a',
  });
  assert.deepEqual(node.metadata.annotations, {
    'node.alpha.kubernetes.io/ttl': '0',
    'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
  });
  assert.deepEqual(node.spec.taints, [
    { key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' },
  ]);
  assert.deepEqual(node.status.addresses[0], { type: 'InternalIP', address: '10.42.11.96' });
  assert.equal(node.status.capacity.pods, '1');
  assert.equal(node.status.nodeInfo.osImage, 'Amazon Linux 2');
  assert.match(node.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\//);
  assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.32.9-eks-abcdef0');
  assert.equal(node.status.daemonEndpoints.kubeletEndpoint.Port, 10250);
  const ready = node.status.conditions.find((c) => c.type === 'Ready');
  assert.deepEqual(ready && [ready.status, ready.reason, ready.lastHeartbeatTime], [
    'True',
    'KubeletReady',
    '2026-11-23T10:00:00Z',
  ]);
  assert.deepEqual(
    node.status.conditions.filter((c) => c.status === 'False').map((c) => c.type),
    ['MemoryPressure', 'DiskPressure', 'PIDPressure'],
  );
});
