// LeaseKeeper against the kube API (memory store): a new Lease is made by one create, an existing one (an agent
// restarted) is found and renewed, and a renewal updates the version it wrote last.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createApiContext, inProcessClient } from '../kube/index.js';
import { callCounts, recordingClient } from '../kube/testing/recording-client.js';
import { openStore } from '../store/index.js';
import { LeaseKeeper, type LeaseShape } from './lease.js';

let client: ReturnType<typeof inProcessClient>;
const leases = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'kube-node-lease' };
const shape = (name: string, holderIdentity = name): LeaseShape => ({
  namespace: 'kube-node-lease',
  name,
  holderIdentity,
});

before(async () => {
  client = inProcessClient(await createApiContext(await openStore({ kind: 'memory' })));
});

test("a new node's Lease is made by one create; the next renewal updates it", async () => {
  const { counts: calls, record } = callCounts();
  const keeper = new LeaseKeeper(recordingClient(client, record), () => shape('fresh'));
  const made = await keeper.renew();
  assert.deepEqual([...calls], [['create', 1]]);
  const renewed = await keeper.renew();
  assert.deepEqual(
    [...calls],
    [
      ['create', 1],
      ['update', 1],
    ],
  );
  assert.equal(renewed?.spec.acquireTime, made?.spec.acquireTime);
  assert.ok(Number(renewed?.metadata.resourceVersion) > Number(made?.metadata.resourceVersion));
});

test('a Lease that already exists (a restarted agent) is read and renewed, its holder kept', async () => {
  const before = await new LeaseKeeper(client, () => shape('existing')).renew();
  const restarted = new LeaseKeeper(client, () => shape('existing'));
  const renewed = await restarted.renew();
  assert.equal(renewed?.metadata.uid, before?.metadata.uid);
  assert.equal(renewed?.spec.leaseTransitions, 0);
  assert.equal(renewed?.spec.acquireTime, before?.spec.acquireTime);
  const stored = await client.get(leases, 'existing');
  assert.equal(stored.metadata.resourceVersion, renewed?.metadata.resourceVersion);
});

test('a stopped keeper writes nothing', async () => {
  const keeper = new LeaseKeeper(client, () => shape('stopped'));
  keeper.stop();
  assert.equal(await keeper.renew(), undefined);
  await assert.rejects(client.get(leases, 'stopped'), { code: 404 });
});
