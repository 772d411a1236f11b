import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SubnetInfo } from '../../cloud/facts.js';
import type { AllocationResult } from '../../fargate/ipam.js';
import { InProcessClient } from '../../kube/client/inprocess.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { ipAddressObject, ipAddressRef, VpcAddresses } from './vpc-addresses.js';

const subnets: SubnetInfo[] = [
  { subnetId: 'subnet-a', cidrBlock: '10.0.1.0/28', availabilityZone: 'us-west-2a', public: false },
];
const ipOf = (r: AllocationResult): string => {
  assert.ok(!('reason' in r), JSON.stringify(r));
  return (r as { ip: string }).ip;
};
const nodeOf = (ip: string) => `node-${ip}`;

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

/** A second process on the same store: its own client, so its own informers. */
const otherProcess = () => new InProcessClient(api.ctx, { username: 'system:skiff', groups: ['system:masters'] });

test('two processes sharing a store never hand out one address twice; a release makes it reusable', async () => {
  const a = new VpcAddresses(inProcessClient(api.ctx), subnets, { repairGraceMs: 60_000 });
  const b = new VpcAddresses(otherProcess(), subnets, { repairGraceMs: 60_000 });
  await a.start();
  await b.start();
  const results = await Promise.all(
    Array.from({ length: 11 }, (_, i) => (i % 2 ? a : b).allocate(['subnet-a'], nodeOf)),
  );
  const ips = results.map(ipOf);
  assert.equal(new Set(ips).size, 11);
  assert.ok('reason' in (await a.allocate(['subnet-a'], nodeOf)));
  const claims = await api.ctx.store.list('/registry/');
  assert.equal(claims.items.filter((kv) => kv.key.includes('/ipaddresses/')).length, 11);
  await a.release(ips[4]!);
  await until(() => !b.isClaimed(ips[4]!), 'the release seen by the other process');
  assert.equal(ipOf(await b.allocate(['subnet-a'], nodeOf)), ips[4]);
  for (const ip of ips) await a.release(ip);
  a.stop();
  b.stop();
});

test('a claim whose Node never came is freed after the grace period; one whose Node exists is kept', async () => {
  const client = inProcessClient(api.ctx);
  await client.create(ipAddressObject('10.0.1.5', 'node-gone'));
  await client.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-here' } });
  await client.create(ipAddressObject('10.0.1.6', 'node-here'));
  const addresses = new VpcAddresses(client, subnets, { repairGraceMs: 60_000 });
  await addresses.start();
  assert.equal(addresses.isClaimed('10.0.1.5'), true, 'within the grace period a claim may be in flight');
  assert.deepEqual(await addresses.repair(Date.now() + 61_000), ['10.0.1.5']);
  assert.equal(addresses.isClaimed('10.0.1.5'), false);
  assert.equal(addresses.isClaimed('10.0.1.6'), true);
  await assert.rejects(client.get(ipAddressRef, '10.0.1.5'), /not found/);
  addresses.stop();
});
