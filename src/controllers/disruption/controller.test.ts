// The disruption controller against the real in-process API, the test acting as the kubelet and writing the
// owning ReplicaSets, Deployments and StatefulSets itself: status numbers for minAvailable / maxUnavailable as
// ints and percentages, the DisruptionAllowed condition, bare pods, and a controller that cannot be found.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { controllerRefTo } from '../../client/owners.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { createPod, setPodRunning } from '../endpoints/testing.js';
import { DisruptionController } from './controller.js';

const ns = 'default';
const pdbRef = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: ns };
let api: TestApi;
let client: KubeClient;
let controller: DisruptionController;
const errors: unknown[] = [];

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  controller = new DisruptionController(client, { onError: (error) => errors.push(error) });
  await controller.start();
});
after(async () => {
  controller.stop();
  await api.close();
});

const ownerRef = controllerRefTo;

function workload(apiVersion: string, kind: string, name: string, replicas: number, owner?: KubeObject) {
  return client.create<KubeObject>({
    apiVersion,
    kind,
    metadata: { name, namespace: ns, ...(owner ? { ownerReferences: [ownerRef(owner)] } : {}) },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
    },
  });
}

/** `count` pods labelled `app`, owned by `owner`, the first `ready` of them Ready. */
async function pods(app: string, count: number, ready: number, owner?: KubeObject, subnet = 1) {
  for (let i = 0; i < count; i++) {
    const name = `${app}-${i}`;
    await createPod(client, name, {
      labels: { app },
      nodeName: 'node-a',
      ...(owner ? { ownerReferences: [ownerRef(owner)] } : {}),
    });
    await setPodRunning(client, name, `10.0.${subnet}.${i + 1}`, i < ready);
  }
}

function budget(name: string, app: string, spec: Record<string, unknown>) {
  return client.create({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: ns },
    spec: { selector: { matchLabels: { app } }, ...spec },
  });
}

async function statusOf(name: string, check: (status: any) => boolean = (s) => s?.observedGeneration === 1) {
  return until(async () => {
    const pdb = await client.get(pdbRef, name);
    return check(pdb.status) && pdb.status;
  }, `status of ${name}`);
}

const numbers = (s: any) => [s.expectedPods, s.desiredHealthy, s.currentHealthy, s.disruptionsAllowed];

it('minAvailable as an int counts the selected pods', async () => {
  const rs = await workload('apps/v1', 'ReplicaSet', 'rs', 4);
  await pods('rs', 4, 3, rs, 1);
  await budget('rs', 'rs', { minAvailable: 2 });
  const status = await statusOf('rs', (s) => s?.currentHealthy === 3);
  assert.deepEqual(numbers(status), [4, 2, 3, 1]);
  assert.equal(status.observedGeneration, 1);
  const [condition] = status.conditions;
  assert.deepEqual(
    { ...condition, lastTransitionTime: undefined },
    {
      type: 'DisruptionAllowed',
      status: 'True',
      observedGeneration: 1,
      lastTransitionTime: undefined,
      reason: 'SufficientPods',
      message: '',
    },
  );
  await setPodRunning(client, 'rs-0', '10.0.1.1', false);
  const fewer = await statusOf('rs', (s) => s?.currentHealthy === 2);
  assert.deepEqual(numbers(fewer), [4, 2, 2, 0]);
  assert.equal(fewer.conditions[0].status, 'False');
  assert.equal(fewer.conditions[0].reason, 'InsufficientPods');
});

it('maxUnavailable as a percentage scales against the Deployment that owns the ReplicaSet', async () => {
  const deployment = await workload('apps/v1', 'Deployment', 'dep', 4);
  const rs = await workload('apps/v1', 'ReplicaSet', 'dep-abc', 4, deployment);
  await pods('dep', 3, 3, rs, 2);
  await budget('dep', 'dep', { maxUnavailable: '25%' });
  const status = await statusOf('dep', (s) => s?.currentHealthy === 3);
  assert.deepEqual(numbers(status), [4, 3, 3, 0]);
  await createPod(client, 'dep-3', { labels: { app: 'dep' }, nodeName: 'node-a', ownerReferences: [ownerRef(rs)] });
  await setPodRunning(client, 'dep-3', '10.0.2.4', true);
  assert.deepEqual(numbers(await statusOf('dep', (s) => s?.currentHealthy === 4)), [4, 3, 4, 1]);
});

it('minAvailable as a percentage rounds up against the StatefulSet scale; maxUnavailable 0 allows nothing', async () => {
  const sts = await workload('apps/v1', 'StatefulSet', 'sts', 3);
  await pods('sts', 3, 3, sts, 3);
  await budget('sts', 'sts', { minAvailable: '50%' });
  assert.deepEqual(numbers(await statusOf('sts', (s) => s?.currentHealthy === 3)), [3, 2, 3, 1]);

  const other = await workload('apps/v1', 'StatefulSet', 'zero', 2);
  await pods('zero', 2, 2, other, 4);
  await budget('zero', 'zero', { maxUnavailable: 0 });
  const status = await statusOf('zero', (s) => s?.currentHealthy === 2);
  assert.deepEqual(numbers(status), [2, 2, 2, 0]);
  assert.equal(status.conditions[0].reason, 'InsufficientPods');
});

it('counts bare pods for an int minAvailable and warns that a percentage cannot account for them', async () => {
  await pods('bare', 3, 3, undefined, 5);
  await budget('bare-int', 'bare', { minAvailable: 1 });
  assert.deepEqual(numbers(await statusOf('bare-int', (s) => s?.currentHealthy === 3)), [3, 1, 3, 2]);
  await budget('bare-pct', 'bare', { maxUnavailable: '50%' });
  assert.deepEqual(numbers(await statusOf('bare-pct', (s) => s?.currentHealthy === 3)), [0, 0, 3, 0]);
  const events = await until(async () => {
    const list = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns });
    const found = list.items.filter((e) => e.involvedObject?.name === 'bare-pct' && e.reason === 'UnmanagedPods');
    return found.length > 0 && found;
  }, 'UnmanagedPods event');
  assert.equal(events[0].type, 'Warning');
  assert.match(
    events[0].message,
    /^Pods selected by this PodDisruptionBudget \(selector: &LabelSelector\{MatchLabels:map\[string\]string\{app: bare,\},/,
  );
});

it('fails safe when the pods name a controller that does not exist', async () => {
  const ghost = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'ghost', uid: 'no-such-uid' },
  } as KubeObject;
  await pods('ghost', 2, 2, ghost, 6);
  await budget('ghost', 'ghost', { maxUnavailable: 1 });
  const status = await statusOf('ghost', (s) => s?.conditions?.[0]?.reason === 'SyncFailed');
  assert.equal(status.disruptionsAllowed, 0);
  assert.equal(status.conditions[0].status, 'False');
  assert.equal(status.conditions[0].message, 'found no controllers for pod "ghost-0"');
});

it('a new budget with no pods yet allows nothing and says so', async () => {
  await budget('empty', 'nobody', { minAvailable: 1 });
  const status = await statusOf('empty');
  assert.deepEqual(numbers(status), [0, 1, 0, 0]);
  await until(async () => {
    const list = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns });
    return list.items.some((e) => e.involvedObject?.name === 'empty' && e.reason === 'NoPods');
  }, 'NoPods event');
  assert.deepEqual(errors, []);
});
