import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Allocation, type AllocationResult, intToIp, SubnetIpam, type SubnetSpec, usableRange } from './ipam.js';

const rangeCases: [string, string, string, number][] = [
  ['10.0.1.0/24', '10.0.1.4', '10.0.1.254', 251],
  ['10.0.0.0/28', '10.0.0.4', '10.0.0.14', 11],
  ['192.168.16.0/20', '192.168.16.4', '192.168.31.254', 4091],
  ['10.0.0.0/16', '10.0.0.4', '10.0.255.254', 65531],
];

for (const [cidr, first, last, count] of rangeCases) {
  test(`usable range of ${cidr}`, () => {
    const r = usableRange(cidr);
    assert.deepEqual([intToIp(r.first), intToIp(r.last), r.count], [first, last, count]);
  });
}

for (const [cidr, message] of [
  ['10.0.0.0/29', /between \/16 and \/28/],
  ['10.0.0.0/15', /between \/16 and \/28/],
  ['10.0.0.0', /between \/16 and \/28/],
  ['10.0.0.8/24', /not aligned/],
  ['10.0.300.0/24', /not an IPv4 address/],
] as const) {
  test(`${cidr} is refused`, () => assert.throws(() => usableRange(cidr), message));
}

const ok = (r: AllocationResult): Allocation => {
  assert.ok(!('reason' in r), JSON.stringify(r));
  return r as Allocation;
};

const subnets: SubnetSpec[] = [
  { subnetId: 'subnet-a', cidr: '10.0.1.0/28', availabilityZone: 'us-west-2a' },
  { subnetId: 'subnet-b', cidr: '10.0.2.0/28', availabilityZone: 'us-west-2b' },
];

test('first address is .4 and pods alternate across zones', () => {
  const ipam = new SubnetIpam(subnets);
  const got = Array.from({ length: 4 }, () => ok(ipam.allocate()));
  assert.deepEqual(
    got.map((a) => [a.ip, a.availabilityZone]),
    [
      ['10.0.1.4', 'us-west-2a'],
      ['10.0.2.4', 'us-west-2b'],
      ['10.0.1.5', 'us-west-2a'],
      ['10.0.2.5', 'us-west-2b'],
    ],
  );
});

test('the zone with fewer pods wins even with several subnets in the other zone', () => {
  const ipam = new SubnetIpam([
    ...subnets,
    { subnetId: 'subnet-a2', cidr: '10.0.3.0/28', availabilityZone: 'us-west-2a' },
  ]);
  const zones = Array.from({ length: 6 }, () => ok(ipam.allocate()).availabilityZone);
  assert.deepEqual(zones.filter((z) => z === 'us-west-2a').length, 3);
  assert.deepEqual(zones.filter((z) => z === 'us-west-2b').length, 3);
});

test('only the given subnets are used', () => {
  const ipam = new SubnetIpam(subnets);
  for (let i = 0; i < 3; i++) assert.equal(ok(ipam.allocate(['subnet-b'])).subnetId, 'subnet-b');
});

test('every usable address once, then exhaustion; never a reserved address', () => {
  const ipam = new SubnetIpam(subnets);
  const ips = Array.from({ length: 22 }, () => ok(ipam.allocate()).ip);
  assert.equal(new Set(ips).size, 22);
  for (const ip of ips) assert.ok(!/\.(0|1|2|3|15)$/.test(ip), ip);
  assert.deepEqual(ipam.allocate(), {
    reason: 'SubnetsExhausted',
    message: 'No free IP addresses left in subnets subnet-a, subnet-b',
  });
  assert.equal(ipam.free('subnet-a'), 0);
});

test('a full subnet leaves the other zone to take pods', () => {
  const ipam = new SubnetIpam(subnets);
  for (let i = 0; i < 11; i++) ok(ipam.allocate(['subnet-a']));
  assert.equal(ok(ipam.allocate()).subnetId, 'subnet-b');
});

test('no subnets, or unknown ones, is exhaustion', () => {
  const ipam = new SubnetIpam(subnets);
  assert.ok('reason' in ipam.allocate([]));
  assert.ok('reason' in ipam.allocate(['subnet-x']));
});

test('release frees an address; it is reused only after the rest of the range (next-fit)', () => {
  const ipam = new SubnetIpam([subnets[0]]);
  const first = ok(ipam.allocate()).ip;
  ok(ipam.allocate());
  assert.equal(ipam.release(first), true);
  assert.equal(ipam.release(first), false);
  assert.equal(ipam.free('subnet-a'), 10);
  const next = Array.from({ length: 10 }, () => ok(ipam.allocate()).ip);
  assert.equal(next.at(-1), first);
  assert.ok('reason' in ipam.allocate());
});

test('IPs in use at start are skipped; foreign and reserved IPs are not taken', () => {
  const ipam = new SubnetIpam([subnets[0]], ['10.0.1.4', '10.0.1.5', '10.9.9.9', '10.0.1.1']);
  assert.equal(ipam.free('subnet-a'), 9);
  assert.equal(ok(ipam.allocate()).ip, '10.0.1.6');
  assert.equal(ipam.reserve('10.0.1.15'), false);
  assert.equal(ipam.release('10.9.9.9'), false);
  assert.deepEqual(ipam.subnetOf('10.0.1.9'), subnets[0]);
  assert.equal(ipam.subnetOf('10.0.1.3'), undefined);
});

test('three /24 subnets: 753 distinct addresses, spread evenly across zones', () => {
  const ipam = new SubnetIpam(
    ['a', 'b', 'c'].map((z, i) => ({
      subnetId: `subnet-${z}`,
      cidr: `10.0.${i}.0/24`,
      availabilityZone: `us-west-2${z}`,
    })),
  );
  const got = Array.from({ length: 700 }, () => ok(ipam.allocate()));
  assert.equal(new Set(got.map((a) => a.ip)).size, 700);
  const counts = ['us-west-2a', 'us-west-2b', 'us-west-2c'].map(
    (z) => got.filter((a) => a.availabilityZone === z).length,
  );
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, String(counts));
  for (let i = 0; i < 53; i++) ok(ipam.allocate());
  assert.ok('reason' in ipam.allocate());
});
