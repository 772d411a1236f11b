// The garbage collector against the real API: background deletion of dependents, orphaning, foreground deletion
// (the owner goes last), dependents whose owner never existed (from the start or named later), Events left alone
// (kube's default ignored resources), and no reads for changes to objects whose owners it knows.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { inProcessClient, namespacedResources } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { callCounts, recordingClient } from '../../kube/testing/recording-client.js';
import { until } from '../../testing/until.js';
import { GarbageCollector } from './controller.js';

let api: TestApi;
let client: ReturnType<typeof inProcessClient>;
let gc: GarbageCollector;
/** The collector's own calls, by verb. */
const { counts: calls, record } = callCounts();
const cms = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' };

before(async () => {
  api = await startTestApi();
  api.ctx.garbageCollector = true;
  client = inProcessClient(api.ctx);
  gc = new GarbageCollector(recordingClient(client, record), () => namespacedResources(api.ctx));
  await gc.start();
});
after(async () => {
  gc.stop();
  await api.close();
});

async function family(name: string, children = 2): Promise<KubeObject> {
  const owner = await client.create<KubeObject>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default' },
  });
  const ownerRef = { apiVersion: 'v1', kind: 'ConfigMap', name, uid: owner.metadata.uid!, blockOwnerDeletion: true };
  for (let i = 0; i < children; i++) {
    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-child-${i}`, namespace: 'default', ownerReferences: [ownerRef] },
    });
  }
  return owner;
}

const exists = async (name: string) =>
  client.get(cms, name).then(
    () => true,
    () => false,
  );

it('deletes dependents in the background once their owner is gone', async () => {
  await family('bg');
  await client.delete(cms, 'bg', { propagationPolicy: 'Background' });
  await until(async () => !(await exists('bg-child-0')) && !(await exists('bg-child-1')), 'dependents deleted');
});

it('orphans dependents', async () => {
  await family('orph');
  await client.delete(cms, 'orph', { propagationPolicy: 'Orphan' });
  await until(async () => !(await exists('orph')), 'owner deleted');
  const child = await client.get(cms, 'orph-child-0');
  assert.equal(child.metadata.ownerReferences, undefined);
});

it('deletes the owner last in the foreground', async () => {
  await family('fg');
  const marked = await client.delete(cms, 'fg', { propagationPolicy: 'Foreground' });
  assert.ok(marked.metadata.finalizers?.includes('foregroundDeletion'));
  await until(async () => !(await exists('fg')), 'owner deleted');
  assert.equal(await exists('fg-child-0'), false);
  assert.equal(await exists('fg-child-1'), false);
});

it('deletes a dependent whose owner does not exist', async () => {
  await client.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'stray',
      namespace: 'default',
      ownerReferences: [
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' },
      ],
    },
  });
  await until(async () => !(await exists('stray')), 'stray dependent deleted');
});

const ghost = { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' };

it('deletes a dependent once it names an owner that does not exist', async () => {
  await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'adopted', namespace: 'default' } });
  await client.patch(cms, 'adopted', { metadata: { ownerReferences: [ghost] } }, 'merge');
  await until(async () => !(await exists('adopted')), 'dependent of a missing owner deleted');
});

it('leaves Events alone, as kube-controller-manager does', async () => {
  await client.create({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'owned-event', namespace: 'default', ownerReferences: [ghost] },
    involvedObject: { kind: 'ConfigMap', namespace: 'default', name: 'ghost' },
    reason: 'Test',
    message: 'an Event naming an owner that does not exist',
    type: 'Normal',
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const events = { apiVersion: 'v1', kind: 'Event', namespace: 'default' };
  assert.equal((await client.get(events, 'owned-event')).metadata.name, 'owned-event');
});

it('reads nothing when an object whose owner it knows changes', async () => {
  await family('quiet', 1);
  await until(async () => gc.graph.dependents((await client.get(cms, 'quiet')).metadata.uid!).length === 1, 'seen');
  await new Promise((resolve) => setTimeout(resolve, 100));
  calls.clear();
  for (let i = 0; i < 5; i++) await client.patch(cms, 'quiet-child-0', { data: { round: String(i) } }, 'merge');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual([...calls], []);
});
