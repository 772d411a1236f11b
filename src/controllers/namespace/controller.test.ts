// Namespace deletion against the real API over a store: Terminating, content deleted, then the namespace gone;
// nothing new may be created while it terminates.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { type ApiContext, createApiContext, inProcessClient, namespacedResources } from '../../kube/index.js';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import { until } from '../../testing/until.js';
import { NamespaceController } from './controller.js';

let store: Backend;
let ctx: ApiContext;
let controller: NamespaceController;

before(async () => {
  store = await openStore({ kind: 'memory' });
  ctx = await createApiContext(store);
});
after(async () => {
  controller?.stop();
  await store.close();
});

it('empties a deleted namespace, then removes it', async () => {
  const client = inProcessClient(ctx);
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
  await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'doomed' } });
  await client.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'doomed' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    },
  });
  const deleted = await client.delete({ apiVersion: 'v1', kind: 'Namespace' }, 'doomed');
  assert.equal(deleted.status.phase, 'Terminating');
  await assert.rejects(
    client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'doomed' } }),
    (error: any) => error.code === 403 && /because it is being terminated/.test(error.message),
  );
  controller = new NamespaceController(client, () => namespacedResources(ctx));
  await controller.start();
  await until(
    async () =>
      (await client.list({ apiVersion: 'v1', kind: 'Namespace' })).items.every((n) => n.metadata.name !== 'doomed'),
    'the namespace to go',
  );
  assert.equal((await client.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'doomed' })).items.length, 0);
  assert.equal((await client.list({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'doomed' })).items.length, 0);
});

it('refuses to delete the system namespaces', async () => {
  const client = inProcessClient(ctx);
  await assert.rejects(
    client.delete({ apiVersion: 'v1', kind: 'Namespace' }, 'kube-system'),
    (error: any) =>
      error.code === 403 &&
      error.message === 'namespaces "kube-system" is forbidden: this namespace may not be deleted',
  );
});
