import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SubnetInfo } from '../../cloud/facts.js';
import type { AllocationResult } from '../../fargate/ipam.js';
import type { KubeObject } from '../../kube/api/types.js';
import { nodeIps, VpcIpam } from './vpc-ipam.js';

const subnets: SubnetInfo[] = [
  { subnetId: 'subnet-a', cidrBlock: '10.0.1.0/28', availabilityZone: 'us-west-2a', public: false },
  { subnetId: 'subnet-b', cidrBlock: '10.0.2.0/28', availabilityZone: 'us-west-2b', public: false },
];

const ipOf = (r: AllocationResult): string => {
  assert.ok(!('reason' in r), JSON.stringify(r));
  return (r as { ip: string }).ip;
};

const node = (internalIp: string, podIps?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n', annotations: podIps ? { 'skiff.io/pod-ips': podIps } : undefined },
  status: {
    addresses: [
      { type: 'Hostname', address: 'n' },
      { type: 'InternalIP', address: internalIp },
    ],
  },
});

test('allocations spread across zones and never repeat', () => {
  const ipam = new VpcIpam(subnets);
  const got = Array.from({ length: 4 }, () => ipam.allocate(['subnet-a', 'subnet-b']));
  assert.deepEqual(
    got.map((r) => ('reason' in r ? 'x' : r.availabilityZone)),
    ['us-west-2a', 'us-west-2b', 'us-west-2a', 'us-west-2b'],
  );
  assert.equal(new Set(got.map(ipOf)).size, 4);
});

test('claimNode claims the InternalIP and every skiff.io/pod-ips address, idempotently', () => {
  const ipam = new VpcIpam(subnets);
  ipam.claimNode(node('10.0.1.4', '10.0.1.5, 10.0.1.6'));
  ipam.claimNode(node('10.0.1.4', '10.0.1.5, 10.0.1.6'));
  assert.equal(ipam.free('subnet-a'), 11 - 3);
  assert.equal(ipOf(ipam.allocate(['subnet-a'])), '10.0.1.7');
  assert.deepEqual(nodeIps(node('10.0.1.4', '10.0.1.5,10.0.1.6')), ['10.0.1.4', '10.0.1.5', '10.0.1.6']);
});

test('a /28 set runs out with a message naming the subnets, and a release makes room again', () => {
  const ipam = new VpcIpam([subnets[0]!]);
  const ips = Array.from({ length: 11 }, () => ipOf(ipam.allocate(['subnet-a'])));
  const full = ipam.allocate(['subnet-a']);
  assert.deepEqual(full, { reason: 'SubnetsExhausted', message: 'No free IP addresses left in subnets subnet-a' });
  ipam.release(ips[3]!);
  assert.equal(ipam.isClaimed(ips[3]!), false);
  assert.equal(ipOf(ipam.allocate(['subnet-a'])), ips[3]);
});

test('claims survive a change of subnets, including IPs claimed before their subnet was known', () => {
  const ipam = new VpcIpam([subnets[0]!]);
  ipam.claim('10.0.1.4');
  ipam.claim('10.0.2.4');
  ipam.setSubnets(subnets);
  assert.equal(ipam.free('subnet-a'), 10);
  assert.equal(ipam.free('subnet-b'), 10);
  assert.notEqual(ipOf(ipam.allocate(['subnet-b'])), '10.0.2.4');
});

test('unknown subnets, unusable CIDRs and malformed IPs do not throw', () => {
  const ipam = new VpcIpam([
    ...subnets,
    { subnetId: 'subnet-bad', cidrBlock: '10.0.3.0/29', availabilityZone: 'us-west-2c', public: false },
  ]);
  assert.ok('reason' in ipam.allocate(['subnet-missing']));
  assert.ok('reason' in ipam.allocate(['subnet-bad']));
  assert.ok('reason' in ipam.allocate([]));
  ipam.claim('not-an-ip');
  ipam.release('not-an-ip');
  ipam.claimNode({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'x' } });
  assert.equal(ipam.free('subnet-a'), 11);
});
