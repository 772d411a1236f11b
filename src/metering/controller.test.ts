// The "done when": Fargate pods of several sizes scheduled by the real fargate-scheduler run for known
// durations on a hand-moved clock (the test plays the kubelet: its `Pulling` event, the pod's status), Skiff's
// control plane restarts in the middle, and the bill matches the formula to the cent — the one-minute minimum,
// ephemeral storage above 20 GB, and a finished Job pod metered until it is deleted.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { setPodPhase } from '../controllers/job/testing.js';
import type { KubeObject } from '../kube/api/types.js';
import { boundPod, fargatePod, type Harness, podRef, startHarness } from '../scheduler/fargate/testing.js';
import { until } from '../testing/until.js';
import { ManualClock } from './clock.js';
import { MeteringController } from './controller.js';
import { charges } from './report/bill.js';
import { type UsageRecord, usageRecordRef } from './usage-record.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const minute = 60_000;
const clock = new ManualClock(t0);
let h: Harness;
let metering: MeteringController;
const errors: unknown[] = [];

const startMetering = async () => {
  metering = new MeteringController(h.client, {
    cluster: { cluster: 'skiff', region: 'us-east-1' },
    clock,
    onError: (e) => errors.push(e),
  });
  await metering.start();
};

before(async () => {
  h = await startHarness({ region: 'us-east-1', hosts: ['host-1', 'host-2'] });
  await startMetering();
});
after(async () => {
  metering.stop();
  await h.close();
});

const records = async () => (await h.client.list<UsageRecord>(usageRecordRef)).items;
const recordOf = async (pod: KubeObject) => (await records()).find((r) => r.spec.uid === pod.metadata.uid);

/** The kubelet's first word about the pod: `Pulling image`, at the clock's time. */
async function pulling(pod: KubeObject) {
  const at = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  await h.client.create({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod.metadata.name}.pulling`, namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: pod.metadata.name, uid: pod.metadata.uid },
    reason: 'Pulling',
    message: 'Pulling image "nginx"',
    type: 'Normal',
    source: { component: 'kubelet' },
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
  });
  await until(() => recordOf(pod), `record of ${pod.metadata.name}`);
}

async function start(name: string, resources: Record<string, unknown>, meta: Record<string, unknown> = {}) {
  await h.client.create(fargatePod(name, { containers: [{ name: 'app', image: 'nginx', resources }] }, meta));
  const pod = await boundPod(h.client, name);
  await pulling(pod);
  return pod;
}

async function remove(pod: KubeObject) {
  await h.client.delete(podRef, pod.metadata.name!, { gracePeriodSeconds: 0 });
  await until(async () => (await recordOf(pod))?.spec.stop, `${pod.metadata.name} closed`);
}

const labels = { app: 'web', 'eks.amazonaws.com/fargate-profile': 'fp-default' };
// us-east-1: $0.04048 per vCPU-hour, $0.004445 per GB-hour, $0.000111 per GB-hour of storage above 20 GB.
const hourly = (vcpu: number, gb: number, storageGB = 20) =>
  vcpu * 0.04048 + gb * 0.004445 + Math.max(0, storageGB - 20) * 0.000111;
const cents = (usd: number) => Math.round(usd * 100);

it('bills each pod by the formula to the cent across a restart', async () => {
  const tiny = await start('tiny', {}); // 0.25vCPU 0.5GB, 30 s → the 1-minute minimum
  const web = await start('web', { requests: { cpu: '1', memory: '2Gi' } }); // 1vCPU 3GB, 3 h
  const big = await start('big', { requests: { cpu: '1', memory: '8Gi', 'ephemeral-storage': '100Gi' } }); // 2vCPU 9GB, 115 GB
  const job = await start(
    'job',
    { requests: { cpu: '500m', memory: '1Gi' } },
    {
      labels: { ...labels, 'batch.kubernetes.io/job-name': 'report' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'report', uid: 'u-job', controller: true }],
    },
  ); // 0.5vCPU 2GB, finishes at 5 min, deleted at 20 min
  assert.equal((await recordOf(big))?.spec.capacityProvisioned, '2vCPU 9GB');
  assert.equal((await recordOf(big))?.spec.storageGB, 115);
  assert.deepEqual((await recordOf(job))?.spec.workload, { kind: 'Job', name: 'report' });

  clock.advance(30_000);
  await remove(tiny);
  clock.advance(5 * minute - 30_000);
  await setPodPhase(h.client, job, 'Succeeded', new Date(clock.now()));
  await until(async () => (await recordOf(job))?.spec.finished, 'job finished');

  // Skiff restarts: the scheduler and metering go away without a word (as with kill -9) and come back.
  clock.advance(5 * minute);
  metering.stop();
  await h.restart();
  clock.advance(minute);
  await startMetering();

  clock.advance(9 * minute); // 20 min
  await remove(job);
  clock.advance(30_400); // 20 min 30.4 s: 1231 s billed
  await remove(big);
  clock.set(t0 + 3 * 60 * minute);
  await remove(web);
  await metering.queue.drained();

  const all = await records();
  assert.equal(all.length, 4, 'one record per pod, none doubled by the restart');
  const bill = Object.fromEntries(charges(all, clock.now()).map((c) => [c.record.spec.name, c.cost]));
  const expected = {
    tiny: (60 / 3600) * hourly(0.25, 0.5),
    web: 3 * hourly(1, 3),
    big: (1231 / 3600) * hourly(2, 9, 115),
    job: ((20 * 60) / 3600) * hourly(0.5, 2),
  };
  for (const [name, usd] of Object.entries(expected)) {
    assert.equal(cents(bill[name]), cents(usd), name);
    assert.ok(Math.abs(bill[name] - usd) < 1e-9, `${name}: ${bill[name]} vs ${usd}`);
  }
  assert.equal(bill.tiny.toFixed(6), ((60 / 3600) * 0.01234).toFixed(6));
  assert.deepEqual(errors, []);
});

it('meters a node-group node by instance type from its creation until it goes', async () => {
  const node = await h.client.create<KubeObject>({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'ip-10-0-1-5.ec2.internal',
      labels: { 'node.kubernetes.io/instance-type': 'm5.large', 'eks.amazonaws.com/nodegroup': 'ng-1' },
    },
    spec: { providerID: 'aws:///us-east-1a/i-0123456789abcdef0' },
  });
  const record = await until(
    async () => (await records()).find((r) => r.spec.uid === node.metadata.uid),
    'node record',
  );
  assert.equal(record.spec.resourceType, 'Node');
  assert.equal(record.spec.instanceType, 'm5.large');
  assert.equal(record.spec.instanceId, 'i-0123456789abcdef0');
  assert.equal(record.spec.nodegroup, 'ng-1');
  clock.set(Date.parse(record.spec.start) + 2 * 60 * minute);
  await h.client.delete({ apiVersion: 'v1', kind: 'Node' }, node.metadata.name!);
  const closed = await until(
    async () => (await records()).find((r) => r.spec.uid === node.metadata.uid && r.spec.stop),
    'closed',
  );
  const [charge] = charges([closed], clock.now());
  assert.equal(charge.cost.toFixed(6), (2 * 0.096).toFixed(6));
  const fargateNodes = (await records()).filter((r) => r.spec.resourceType === 'Node');
  assert.equal(fargateNodes.length, 1, 'Fargate nodes are billed through their pods, not as nodes');
});
