// The instance-type table and the capacity/allocatable an EKS AMI's kubelet reports, checked against observed nodes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instanceType, maxPods, nodeResources, reservedCpuMillis, reservedMemoryMiB } from './instance-types.js';

const type = (name: string) => {
  const t = instanceType(name);
  assert.ok(t, `${name} is in the table`);
  return t;
};

describe('max pods (eni-max-pods)', () => {
  const cases: [string, number][] = [
    ['t3.nano', 4],
    ['t3.small', 11],
    ['t3.medium', 17],
    ['t3.large', 35],
    ['t3.xlarge', 58],
    ['m5.large', 29],
    ['m5.xlarge', 58],
    ['m5.4xlarge', 234],
    ['m5.24xlarge', 737],
    ['m6i.large', 29],
    ['c5.large', 29],
    ['c5.9xlarge', 234],
    ['r5.2xlarge', 58],
    ['m6g.medium', 8],
    ['t4g.medium', 17],
  ];
  for (const [name, pods] of cases) it(`${name} → ${pods}`, () => assert.equal(maxPods(type(name)), pods));
});

describe('sizes', () => {
  const cases: [string, number, number, string][] = [
    ['t3.medium', 2, 4, 'amd64'],
    ['m5.large', 2, 8, 'amd64'],
    ['c5.xlarge', 4, 8, 'amd64'],
    ['c6i.2xlarge', 8, 16, 'amd64'],
    ['r5.large', 2, 16, 'amd64'],
    ['r6i.4xlarge', 16, 128, 'amd64'],
    ['m7g.xlarge', 4, 16, 'arm64'],
    ['c7g.large', 2, 4, 'arm64'],
  ];
  for (const [name, vcpu, memoryGiB, arch] of cases) {
    it(name, () => assert.deepEqual([type(name).vcpu, type(name).memoryGiB, type(name).arch], [vcpu, memoryGiB, arch]));
  }
  it('unknown types are undefined', () => assert.equal(instanceType('x9.huge'), undefined));
});

describe('kube-reserved', () => {
  const cpu: [number, number][] = [
    [1, 60],
    [2, 70],
    [4, 80],
    [8, 90],
    [16, 110],
    [96, 310],
  ];
  for (const [vcpu, millis] of cpu)
    it(`${vcpu} vCPU → ${millis}m`, () => assert.equal(reservedCpuMillis(vcpu), millis));
  it('memory is 11Mi per pod + 255Mi', () => assert.equal(reservedMemoryMiB(29), 574));
});

describe('node resources', () => {
  it('t3.medium as observed on EKS', () => {
    assert.deepEqual(nodeResources(type('t3.medium')), {
      capacity: {
        cpu: '2',
        'ephemeral-storage': '20959212Ki',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: '3967480Ki',
        pods: '17',
      },
      allocatable: {
        cpu: '1930m',
        'ephemeral-storage': '18242267924',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: '3412472Ki',
        pods: '17',
      },
    });
  });
  it('8 and 16 vCPU types keep 7910m and 15890m', () => {
    assert.equal(nodeResources(type('m5.2xlarge')).allocatable.cpu, '7910m');
    assert.equal(nodeResources(type('m5.4xlarge')).allocatable.cpu, '15890m');
  });
  it('allocatable memory is capacity less kube-reserved and the 100Mi eviction threshold', () => {
    const { capacity, allocatable } = nodeResources(type('m5.large'));
    const ki = (q: string) => Number(q.replace(/Ki$/, ''));
    assert.equal(ki(capacity.memory) - ki(allocatable.memory), (11 * 29 + 255 + 100) * 1024);
  });
});
