// The Fargate MutatingWebhookConfiguration as kubectl lists it: created once, two pod-CREATE webhooks,
// no write when already as wanted, put back when changed.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { ensureFargateWebhookConfiguration, fargateWebhookName } from './webhook-configuration.js';

const ref = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' };
let api: TestApi;
let client: KubeClient;

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
});
after(() => api.close());

it('creates the configuration with two webhooks on pod CREATE', async () => {
  await ensureFargateWebhookConfiguration(client);
  const list = await client.list(ref);
  assert.deepEqual(
    list.items.map((c) => c.metadata.name),
    [fargateWebhookName],
  );
  const [config] = list.items;
  assert.equal(config.webhooks.length, 2);
  assert.equal(config.webhooks[0].name, '0500-amazon-eks-fargate-mutation.amazonaws.com');
  for (const webhook of config.webhooks) {
    assert.deepEqual(webhook.rules, [
      { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: '*' },
    ]);
    assert.match(webhook.clientConfig.url, /^https:\/\//);
    assert.equal(webhook.sideEffects, 'None');
  }
});

it('is idempotent: a second call writes nothing', async () => {
  const first = await client.get(ref, fargateWebhookName);
  const again = await ensureFargateWebhookConfiguration(client);
  assert.equal(again.metadata.resourceVersion, first.metadata.resourceVersion);
  assert.equal(again.metadata.uid, first.metadata.uid);
});

it('puts the webhooks back when someone changed them', async () => {
  const current = await client.get(ref, fargateWebhookName);
  await client.update({ ...current, webhooks: current.webhooks.slice(0, 1) });
  const repaired = await ensureFargateWebhookConfiguration(client);
  assert.equal(repaired.webhooks.length, 2);
  assert.equal(repaired.metadata.uid, current.metadata.uid);
});

it('is created again after a delete', async () => {
  await client.delete(ref, fargateWebhookName);
  const created = await ensureFargateWebhookConfiguration(client);
  assert.equal(created.webhooks.length, 2);
});
