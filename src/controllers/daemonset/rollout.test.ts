// DaemonSet updates against the real API: RollingUpdate one node at a time (maxUnavailable), with surge (new pod
// beside the old until available), OnDelete, going back to an earlier template (its revision renumbered), and
// the history limit. New pods stay Pending until the test starts them, as a slow kubelet would.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { FakeKubelet } from '../../testing/fake-kubelet.js';
import { until } from '../../testing/until.js';
import { DaemonSetController } from './controller.js';
import { daemonSet, dsRef, groupNode, livePods, podsOn, statusIs } from './testing.js';

let api: TestApi;
let client: KubeClient;
let controller: DaemonSetController;
let kubelet: FakeKubelet;
let hold = false;
const errors: unknown[] = [];
const nodes = ['ip-10-0-2-1.ec2.internal', 'ip-10-0-2-2.ec2.internal', 'ip-10-0-2-3.ec2.internal'];

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  for (const name of nodes) await client.create(groupNode(name));
  kubelet = new FakeKubelet(client, { autoStart: () => !hold });
  await kubelet.start();
  controller = new DaemonSetController(client, { onError: (error) => errors.push(error) });
  await controller.start();
});
after(async () => {
  controller.stop();
  kubelet.stop();
  await api.close();
});

const hashOf = (pod: KubeObject) => pod.metadata.labels!['controller-revision-hash'];
const image = (tag: string) => ({
  spec: { template: { spec: { containers: [{ name: 'agent', image: `fluent-bit:${tag}` }] } } },
});

async function revisionsOf(name: string): Promise<KubeObject[]> {
  const list = await client.list({ apiVersion: 'apps/v1', kind: 'ControllerRevision', namespace: 'default' });
  return list.items
    .filter((r) => r.metadata.ownerReferences?.[0]?.name === name)
    .sort((a, b) => a.revision - b.revision);
}

async function startReady(name: string): Promise<KubeObject[]> {
  hold = false;
  const pods = await podsOn(client, name, nodes);
  for (const pod of pods)
    if (pod.status?.phase !== 'Running')
      await kubelet.setStatus('default', pod.metadata.name!, { phase: 'Running', ready: true });
  await statusIs(client, name, { numberAvailable: 3, updatedNumberScheduled: 3 });
  return podsOn(client, name, nodes);
}

/** Live pods split by whether they carry `hash`, once the controller has nothing left to do. */
async function settledSplit(name: string, hash: string, newCount: number) {
  return until(async () => {
    await controller.queue.drained();
    const pods = await livePods(client, name);
    const fresh = pods.filter((p) => hashOf(p) === hash);
    return fresh.length === newCount && { fresh, old: pods.filter((p) => hashOf(p) !== hash) };
  }, `${newCount} pods of ${name} at ${hash}`);
}

it('rolls one node at a time with maxUnavailable 1', async () => {
  await client.create(daemonSet('roll'));
  const before = await startReady('roll');
  hold = true;
  await client.patch(dsRef, 'roll', image('3.1'), 'merge');
  const [, second] = await until(async () => {
    const r = await revisionsOf('roll');
    return r.length === 2 && r;
  }, 'a second revision');
  assert.equal(second.revision, 2);
  const hash = second.metadata.labels!['controller-revision-hash'];
  for (let updated = 1; updated <= 3; updated++) {
    const { fresh, old } = await settledSplit('roll', hash, updated);
    assert.equal(old.length, 3 - updated, 'one old pod goes per step');
    assert.equal(fresh.filter((p) => p.status.phase !== 'Running').length, 1, 'only one node is unavailable');
    const waiting = fresh.find((p) => p.status.phase !== 'Running')!;
    assert.equal(waiting.metadata.labels!['pod-template-generation'], '2');
    assert.equal(waiting.spec.containers[0].image, 'fluent-bit:3.1');
    await kubelet.setStatus('default', waiting.metadata.name!, { phase: 'Running', ready: true });
  }
  await statusIs(client, 'roll', { updatedNumberScheduled: 3, numberAvailable: 3, observedGeneration: 2 });
  const after = await livePods(client, 'roll');
  assert.ok(after.every((p) => !before.some((b) => b.metadata.name === p.metadata.name)));
});

it('surges a new pod beside each old one until it is available', async () => {
  await client.create(
    daemonSet(
      'surge',
      {},
      { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
    ),
  );
  await startReady('surge');
  hold = true;
  await client.patch(dsRef, 'surge', image('3.1'), 'merge');
  const hash = await until(
    async () => (await revisionsOf('surge'))[1]?.metadata.labels?.['controller-revision-hash'],
    'a second revision',
  );
  for (let updated = 1; updated <= 3; updated++) {
    const { fresh, old } = await settledSplit('surge', hash, updated);
    const waiting = fresh.find((p) => p.status.phase !== 'Running')!;
    assert.equal(old.length, 4 - updated, 'the old pod stays until its replacement is available');
    assert.ok(old.some((p) => p.spec.nodeName === waiting.spec.nodeName && p.status.phase === 'Running'));
    await kubelet.setStatus('default', waiting.metadata.name!, { phase: 'Running', ready: true });
  }
  await settledSplit('surge', hash, 3).then(({ old }) => assert.equal(old.length, 0));
  await statusIs(client, 'surge', { updatedNumberScheduled: 3, numberAvailable: 3, desiredNumberScheduled: 3 });
});

it('leaves pods alone with OnDelete until they are deleted', async () => {
  await client.create(daemonSet('manual', {}, { updateStrategy: { type: 'OnDelete' } }));
  const pods = await startReady('manual');
  await client.patch(dsRef, 'manual', image('3.1'), 'merge');
  const hash = await until(
    async () => (await revisionsOf('manual'))[1]?.metadata.labels?.['controller-revision-hash'],
    'a second revision',
  );
  await statusIs(client, 'manual', { observedGeneration: 2, updatedNumberScheduled: 0, numberAvailable: 3 });
  const { old } = await settledSplit('manual', hash, 0);
  assert.deepEqual(old.map((p) => p.metadata.name).sort(), pods.map((p) => p.metadata.name).sort());
  await client.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'default' }, pods[0].metadata.name!);
  const { fresh } = await settledSplit('manual', hash, 1);
  assert.equal(fresh[0].spec.nodeName, pods[0].spec.nodeName);
  await statusIs(client, 'manual', { updatedNumberScheduled: 1, numberAvailable: 3 });
});

it('rollout undo (the old revision as a patch) renumbers that revision instead of making a new one', async () => {
  const [first, second] = await revisionsOf('roll');
  // What `kubectl rollout undo` sends: the revision's data as a strategic merge patch.
  await client.patch(dsRef, 'roll', first.data, 'strategic');
  const renumbered = await until(async () => {
    const r = await revisionsOf('roll');
    return r.find((x) => x.metadata.name === first.metadata.name && x.revision === 3) && r;
  }, 'the first revision renumbered 3');
  assert.deepEqual(
    renumbered.map((r) => r.metadata.name),
    [second.metadata.name, first.metadata.name],
  );
  const { fresh } = await settledSplit('roll', first.metadata.labels!['controller-revision-hash'], 3);
  assert.ok(fresh.every((p) => p.spec.containers[0].image === 'fluent-bit:3.0'));
  await statusIs(client, 'roll', { updatedNumberScheduled: 3, numberAvailable: 3 });
});

it('trims old revisions to revisionHistoryLimit', async () => {
  await client.patch(dsRef, 'roll', { spec: { revisionHistoryLimit: 1 } }, 'merge');
  for (const tag of ['4.0', '4.1']) {
    await client.patch(dsRef, 'roll', image(tag), 'merge');
    await until(async () => {
      const pods = await livePods(client, 'roll');
      return pods.length === 3 && pods.every((p) => p.spec.containers[0].image === `fluent-bit:${tag}`);
    }, `all pods at ${tag}`);
  }
  const revisions = await until(async () => {
    const r = await revisionsOf('roll');
    return r.length === 2 && r;
  }, 'two revisions left');
  assert.deepEqual(
    revisions.map((r) => r.data.spec.template.spec.containers[0].image),
    ['fluent-bit:4.0', 'fluent-bit:4.1'],
  );
  assert.deepEqual(errors, []);
});
