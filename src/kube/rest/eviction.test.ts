// pods/eviction over HTTPS against budgets whose status the test writes itself (the disruption controller's
// tests cover it computing them): no budget, a budget with room (decremented, pod recorded), a budget with none
// (429 and its exact Status), two budgets (the 500 Status), unready and pending pods, dry run, name mismatch.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../api/types.js';
import type { KubeClient } from '../client/types.js';
import { inProcessClient } from '../index.js';
import { startTestApi, type TestApi } from '../testing/api.js';

const ns = 'default';
const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: ns };
const pdbRef = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: ns };
let api: TestApi;
let client: KubeClient;

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
});
after(() => api.close());

function evict(name: string, body: Record<string, unknown> = {}, query = ''): Promise<{ code: number; body: any }> {
  const payload = JSON.stringify({
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name, namespace: ns },
    ...body,
  });
  const url = new URL(`${api.server.url}/api/v1/namespaces/${ns}/pods/${name}/eviction${query}`);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca: api.caCert,
        headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function runningPod(name: string, labels: Record<string, string>, ready = true, phase = 'Running') {
  await client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'nginx' }] },
  });
  const pod = await client.get(podRef, name);
  pod.status = {
    phase,
    podIP: '10.0.1.1',
    conditions: [
      {
        type: 'Ready',
        status: ready ? 'True' : 'False',
        lastProbeTime: null,
        lastTransitionTime: '2025-01-01T00:00:00Z',
      },
    ],
  };
  await client.update(pod, { subresource: 'status' });
}

async function budget(name: string, app: string, status: Record<string, unknown>, spec: Record<string, unknown> = {}) {
  const created = await client.create<KubeObject>({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: ns },
    spec: { selector: { matchLabels: { app } }, minAvailable: 1, ...spec },
  });
  return client.update<KubeObject>(
    { ...created, status: { observedGeneration: 1, ...status } },
    { subresource: 'status' },
  );
}

const deleting = async (name: string) => Boolean((await client.get(podRef, name)).metadata.deletionTimestamp);

it('evicts a pod no budget covers, marking it with the DisruptionTarget condition', async () => {
  await runningPod('free', { app: 'free' });
  const res = await evict('free');
  assert.equal(res.code, 201);
  assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  const pod = await client.get(podRef, 'free');
  assert.ok(pod.metadata.deletionTimestamp);
  const target = pod.status.conditions.find((c: any) => c.type === 'DisruptionTarget');
  assert.equal(target.status, 'True');
  assert.equal(target.reason, 'EvictionByEvictionAPI');
  assert.equal(target.message, 'Eviction API: evicting');
});

it('takes one disruption from a budget with room and records the pod', async () => {
  await runningPod('web-0', { app: 'web' });
  await runningPod('web-1', { app: 'web' });
  await budget('web', 'web', { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 });
  assert.equal((await evict('web-0')).code, 201);
  assert.ok(await deleting('web-0'));
  const status = (await client.get(pdbRef, 'web')).status;
  assert.equal(status.disruptionsAllowed, 0);
  assert.deepEqual(Object.keys(status.disruptedPods), ['web-0']);
  assert.equal(status.conditions[0].reason, 'InsufficientPods');

  const refused = await evict('web-1');
  assert.equal(refused.code, 429);
  assert.deepEqual(refused.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: "Cannot evict pod as it would violate the pod's disruption budget.",
    reason: 'TooManyRequests',
    details: {
      causes: [
        { reason: 'DisruptionBudget', message: 'The disruption budget web needs 1 healthy pods and has 2 currently' },
      ],
    },
    code: 429,
  });
  assert.equal(await deleting('web-1'), false);
});

it('refuses a pod two budgets cover with the 500 Status, whatever they allow', async () => {
  await runningPod('both-0', { app: 'both', tier: 'x' });
  await budget('both-a', 'both', { disruptionsAllowed: 5 });
  await client.create({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'both-b', namespace: ns },
    spec: { selector: { matchLabels: { tier: 'x' } }, maxUnavailable: 1 },
  });
  const res = await evict('both-0');
  assert.equal(res.code, 201);
  assert.deepEqual(res.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    code: 500,
  });
  assert.equal(await deleting('both-0'), false);
});

it('lets unready pods go when the budget is met or the policy is AlwaysAllow; pending pods always', async () => {
  await runningPod('met-0', { app: 'met' }, false);
  await budget('met', 'met', { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3 });
  assert.equal((await evict('met-0')).code, 201);
  await runningPod('short-0', { app: 'short' }, false);
  await budget('short', 'short', { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 1 });
  assert.equal((await evict('short-0')).code, 429);
  await runningPod('always-0', { app: 'always' }, false);
  await budget(
    'always',
    'always',
    { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 1 },
    {
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  );
  assert.equal((await evict('always-0')).code, 201);
  await runningPod('pending-0', { app: 'short' }, false, 'Pending');
  assert.equal((await evict('pending-0')).code, 201);
  assert.equal((await client.get(pdbRef, 'always')).status.disruptionsAllowed, 0);
});

it('asks to retry while the budget controller has not seen the latest spec', async () => {
  await runningPod('stale-0', { app: 'stale' });
  const pdb = await budget('stale', 'stale', { disruptionsAllowed: 3 });
  await client.update({ ...pdb, spec: { ...pdb.spec, minAvailable: 0 } });
  const res = await evict('stale-0');
  assert.equal(res.code, 429);
  assert.equal(
    res.body.details.causes[0].message,
    'The disruption budget stale is still being processed by the server.',
  );
});

it('changes nothing on dry run, and refuses a body naming another pod', async () => {
  await runningPod('dry-0', { app: 'dry' });
  await budget('dry', 'dry', { disruptionsAllowed: 1 });
  assert.equal((await evict('dry-0', {}, '?dryRun=All')).code, 201);
  assert.equal(await deleting('dry-0'), false);
  assert.equal((await client.get(pdbRef, 'dry')).status.disruptionsAllowed, 1);
  const res = await evict('dry-0', { metadata: { name: 'other', namespace: ns } });
  assert.equal(res.code, 400);
  assert.equal(res.body.message, 'name in URL does not match name in Eviction object');
  const missing = await evict('nope');
  assert.equal(missing.code, 404);
  assert.equal(missing.body.message, 'pods "nope" not found');
});
