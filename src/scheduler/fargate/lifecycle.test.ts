// fargate-scheduler against the real API: IP exhaustion and reuse, node deletion with the pod, finished pods,
// host room, us-east-1 names and restarts.
import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { until } from '../../testing/until.js';
import { hostLease } from '../hosts/testing.js';
import { ipAddressRef } from '../ipam/vpc-addresses.js';
import { boundPod, eventWith, fargatePod, type Harness, nodeRef, podRef, profile, startHarness } from './testing.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const exists = async (name: string) =>
  h!.client.get(nodeRef, name).then(
    () => true,
    (e) => (e.code === 404 ? false : Promise.reject(e)),
  );

it('an exhausted /28 leaves the pod pending with an event; a deleted pod loses its node and frees its IP', async () => {
  h = await startHarness({
    subnets: [
      { subnetId: 'subnet-tiny', cidrBlock: '10.1.0.0/28', availabilityZone: 'ap-northeast-2a', public: false },
    ],
    profiles: [profile('fp-default', ['subnet-tiny'])],
  });
  const names = Array.from({ length: 11 }, (_, i) => `p-${i}`);
  for (const name of names) await h.client.create(fargatePod(name));
  const nodes: string[] = [];
  for (const name of names) nodes.push((await boundPod(h.client, name)).spec.nodeName);
  assert.equal(new Set(nodes).size, 11);

  await h.client.create(fargatePod('one-too-many'));
  const event = await eventWith(h.client, 'one-too-many', 'FailedScheduling');
  assert.equal(event.message, 'No free IP addresses left in subnets subnet-tiny');
  assert.equal((await h.client.get(podRef, 'one-too-many')).spec.nodeName, undefined);

  const before = (await h.client.get(nodeRef, nodes[3])).metadata.uid;
  await h.client.delete(podRef, 'p-3', { gracePeriodSeconds: 0 });
  // The node goes with its pod — and may come back at once, a new node for the waiting pod on the freed IP.
  const replaced = async () => (await h!.client.get(nodeRef, nodes[3]).catch(() => undefined))?.metadata.uid;
  await until(async () => (await replaced()) !== before, 'the node deleted with its pod');
  const pod = await boundPod(h.client, 'one-too-many');
  assert.equal(pod.spec.nodeName, nodes[3], 'the freed IP goes to the waiting pod');
});

it('a finished pod keeps its node until the pod is deleted', async () => {
  h = await startHarness();
  await h.client.create(fargatePod('job-pod'));
  const pod = await boundPod(h.client, 'job-pod');
  await h.client.update({ ...pod, status: { ...pod.status, phase: 'Succeeded' } }, { subresource: 'status' });
  await until(() => h!.scheduler.cachedPod('default/job-pod')?.status?.phase === 'Succeeded', 'the change seen');
  await h.scheduler.queue.drained();
  assert.ok(await exists(pod.spec.nodeName));
  await h.client.delete(podRef, 'job-pod', { gracePeriodSeconds: 0 });
  await until(async () => !(await exists(pod.spec.nodeName)), 'the node deleted');
});

it('names nodes ec2.internal in us-east-1', async () => {
  h = await startHarness({ region: 'us-east-1' });
  await h.client.create(fargatePod('east'));
  const pod = await boundPod(h.client, 'east');
  assert.match(pod.spec.nodeName, /^fargate-ip-10-0-(1(2[89]|[3-8]\d|9[01])|(19[2-9]|2\d\d))-\d+\.ec2\.internal$/);
  const node: any = await h.client.get(nodeRef, pod.spec.nodeName);
  assert.equal(node.metadata.labels['kubernetes.io/hostname'], pod.spec.nodeName.replace(/^fargate-/, ''));
  assert.equal(node.metadata.labels['topology.kubernetes.io/region'], 'us-east-1');
});

it('places nodes on hosts with room and leaves the pod pending while none has any', async () => {
  h = await startHarness({ hosts: [] });
  const claims: string[] = [];
  const watcher = await h.client.watch(ipAddressRef, {}, (event) => claims.push(event.type));
  await h.client.create(fargatePod('no-host'));
  const none = await eventWith(h.client, 'no-host', 'FailedScheduling');
  assert.equal(none.message, '0/0 hosts are available: no host agent is running');
  watcher.close();
  assert.deepEqual(claims, [], 'no IP is claimed (and given back) while no host has room');

  await h.client.create(hostLease('small-1', { cpuMillis: 4000, memoryMiB: 8192, sandboxes: 1 }));
  await h.client.create(hostLease('small-2', { cpuMillis: 4000, memoryMiB: 8192, sandboxes: 1 }));
  await h.client.create(hostLease('stale', {}, new Date(Date.now() - 60_000)));
  const first = await boundPod(h.client, 'no-host');
  await h.client.create(fargatePod('second'));
  const second = await boundPod(h.client, 'second');
  const hostOf = async (pod: any) =>
    (await h!.client.get(nodeRef, pod.spec.nodeName)).metadata.annotations?.['skiff.io/host'];
  assert.deepEqual([await hostOf(first), await hostOf(second)].sort(), ['small-1', 'small-2']);

  await h.client.create(fargatePod('third'));
  const full = await until(async () => {
    const events = await h!.client.list({ apiVersion: 'v1', kind: 'Event', namespace: 'default' });
    return events.items.find((e) => e.involvedObject.name === 'third' && e.reason === 'FailedScheduling');
  }, 'FailedScheduling for third');
  assert.equal(full.message, '0/2 hosts are available: 2 host(s) had no room for the pod');
  const freed = await hostOf(second);
  await h.client.delete(podRef, 'second', { gracePeriodSeconds: 0 });
  assert.equal(await hostOf(await boundPod(h.client, 'third')), freed);
});

it('a restarted scheduler keeps the IPs in use and deletes Fargate nodes whose pod is gone', async () => {
  h = await startHarness();
  for (const name of ['r-1', 'r-2', 'r-3']) await h.client.create(fargatePod(name));
  const before: string[] = [];
  for (const name of ['r-1', 'r-2', 'r-3']) before.push((await boundPod(h.client, name)).spec.nodeName);
  h.scheduler.stop();
  const orphan = await h.client.create({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'fargate-ip-10-0-200-9.ap-northeast-2.compute.internal',
      labels: { 'eks.amazonaws.com/compute-type': 'fargate' },
    },
  });
  await h.restart();
  for (const name of ['r-4', 'r-5', 'r-6']) await h.client.create(fargatePod(name));
  const after: string[] = [];
  for (const name of ['r-4', 'r-5', 'r-6']) after.push((await boundPod(h.client, name)).spec.nodeName);
  assert.equal(new Set([...before, ...after]).size, 6, 'no IP handed out twice');
  await until(async () => !(await exists(orphan.metadata.name!)), 'the orphan node deleted');
  for (const name of before) assert.ok(await exists(name));
  assert.deepEqual(h.errors, []);
});

it('works over HTTPS as well', async () => {
  h = await startHarness({ https: true });
  await h.client.create(fargatePod('remote', {}, { annotations: { CapacityProvisioned: 'user value' } }));
  const pod: any = await boundPod(h.client, 'remote');
  assert.equal(pod.metadata.annotations.CapacityProvisioned, '0.25vCPU 0.5GB');
  assert.equal((await eventWith(h.client, 'remote', 'Scheduled')).source.component, 'fargate-scheduler');
  await h.client.delete(podRef, 'remote', { gracePeriodSeconds: 0 });
  await until(async () => !(await exists(pod.spec.nodeName)), 'the node deleted');
  assert.deepEqual(h.errors, []);
});
