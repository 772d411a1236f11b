// When pod creation fails: a FailedCreate Warning event with the API's message, the ReplicaFailure condition,
// and rate-limited retries until creation succeeds and the condition is cleared. Failures are injected in
// front of the real in-process API (as an exhausted quota would answer).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forbidden } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { ReplicaSetController } from './controller.js';

const ns = 'default';
const quotaMessage =
  'pods "q-x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1';
let api: TestApi;
let client: KubeClient;
let controller: ReplicaSetController;
let refusals = 3;
const errors: unknown[] = [];

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  const flaky = new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (property !== 'create') return typeof value === 'function' ? value.bind(target) : value;
      return (object: KubeObject, params?: unknown) => {
        if (object.kind === 'Pod' && refusals > 0) {
          refusals--;
          return Promise.reject(forbidden(quotaMessage));
        }
        return target.create(object, params as never);
      };
    },
  });
  controller = new ReplicaSetController(flaky, { onError: (error) => errors.push(error) });
  await controller.start();
});
after(async () => {
  controller.stop();
  await api.close();
});

it('reports FailedCreate, sets ReplicaFailure, retries, and clears it once pods are created', async () => {
  await client.create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'q', namespace: ns },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'q' } },
      template: { metadata: { labels: { app: 'q' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  });
  const failed = await until(async () => {
    const rs = await client.get({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns }, 'q');
    return rs.status?.conditions?.find((c: { type: string }) => c.type === 'ReplicaFailure');
  }, 'the ReplicaFailure condition');
  assert.equal(failed.status, 'True');
  assert.equal(failed.reason, 'FailedCreate');
  assert.equal(failed.message, quotaMessage);
  const healed = await until(async () => {
    const rs = await client.get({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns }, 'q');
    return rs.status?.replicas === 2 && !rs.status.conditions && rs;
  }, 'two replicas and no ReplicaFailure');
  assert.equal(healed.status.replicas, 2);
  const events = (await client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns })).items;
  const warnings = events.filter((e) => e.reason === 'FailedCreate');
  // The three refusals are one Event counted three times, as client-go's correlator folds repeats.
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].count, 3);
  for (const e of warnings) {
    assert.equal(e.type, 'Warning');
    assert.equal(e.message, `Error creating: ${quotaMessage}`);
  }
  assert.equal(events.filter((e) => e.reason === 'SuccessfulCreate').length, 2);
  assert.ok(errors.length >= 3, 'each failed pass is reported and retried');
});
