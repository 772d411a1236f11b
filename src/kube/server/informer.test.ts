// A @kubernetes/client-node 1.4.0 informer on pods sees add, update and delete, and lists again after a 410
// (its watch ends, the store is compacted past its resourceVersion, the re-watch gets Expired).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { CoreV1Api, KubeConfig, makeInformer, type V1Pod } from '@kubernetes/client-node';
import type { Backend } from '../../store/types.js';
import { until } from '../../testing/until.js';
import { inProcessClient } from '../index.js';
import { startTestApi, type TestApi } from '../testing/api.js';

let api: TestApi;
let store: Backend;
let client: ReturnType<typeof inProcessClient>;
let kc: KubeConfig;

before(async () => {
  api = await startTestApi({ minRequestTimeoutSeconds: 1 });
  store = api.store;
  client = inProcessClient(api.ctx);
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: api.server.url, caData: Buffer.from(api.caCert).toString('base64') }],
    users: [{ name: 'u', token: api.token }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
});

after(async () => {
  await api?.close();
});

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

it('an informer sees add, update, delete, and re-lists after 410', async () => {
  const core = kc.makeApiClient(CoreV1Api);
  const informer = makeInformer(kc, '/api/v1/namespaces/default/pods', () =>
    core.listNamespacedPod({ namespace: 'default' }),
  );
  const seen: string[] = [];
  const errors: unknown[] = [];
  informer.on('add', (p: V1Pod) => seen.push(`add ${p.metadata?.name}`));
  informer.on('update', (p: V1Pod) => seen.push(`update ${p.metadata?.name} ${p.metadata?.labels?.v ?? ''}`));
  informer.on('delete', (p: V1Pod) => seen.push(`delete ${p.metadata?.name}`));
  informer.on('error', (e) => errors.push(e));
  await informer.start();
  try {
    await client.create(pod('a'));
    await until(() => seen.includes('add a'), 'add');
    await client.patch(
      { apiVersion: 'v1', kind: 'Pod', namespace: 'default' },
      'a',
      { metadata: { labels: { v: '2' } } },
      'merge',
    );
    await until(() => seen.includes('update a 2'), 'update');
    await client.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'default' }, 'a');
    await until(() => seen.includes('delete a'), 'delete');

    // Compact past everything the informer saw (a write elsewhere moves the revision on): its next re-watch,
    // after the 1–2 s server timeout, gets a 410 and it lists again.
    await client.create(pod('b'));
    await until(() => seen.includes('add b'), 'add b');
    let lists = 0;
    const original = store.list.bind(store);
    store.list = (prefix, options) => {
      if (prefix === '/registry/core/pods/default/' && !options?.revision) lists++;
      return original(prefix, options);
    };
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'elsewhere', namespace: 'default' } });
    await store.compact(await store.currentRevision());
    await until(() => lists > 0, 'a re-list after 410');
    await client.create(pod('c'));
    await until(() => seen.includes('add c'), 'add c after the re-list');
    assert.deepEqual(errors, []);
  } finally {
    await informer.stop();
  }
});
