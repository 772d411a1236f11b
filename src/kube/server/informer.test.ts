// A @kubernetes/client-node 1.4.0 informer on pods sees add, update and delete, and lists again after a 410
// (its watch ends, the store is compacted past its resourceVersion, the re-watch gets Expired).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { CoreV1Api, KubeConfig, makeInformer, type V1Pod } from '@kubernetes/client-node';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import {
  createApiContext,
  inProcessClient,
  type KubeApiServer,
  startKubeApi,
  staticTokenAuthenticator,
} from '../index.js';
import { ensurePki } from '../pki/pki.js';

let store: Backend;
let server: KubeApiServer;
let dir: string;
let client: ReturnType<typeof inProcessClient>;
let kc: KubeConfig;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-informer-'));
  store = await openStore({ kind: 'memory' });
  const ctx = await createApiContext(store);
  client = inProcessClient(ctx);
  const pki = await ensurePki(dir, 'test');
  const user = { username: 'admin', groups: ['system:masters'] };
  server = await startKubeApi({
    ctx,
    pki,
    host: '127.0.0.1',
    port: 0,
    authenticators: [staticTokenAuthenticator('t0ken', user)],
    minRequestTimeoutSeconds: 1,
  });
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: server.url, caData: Buffer.from(pki.caCert).toString('base64') }],
    users: [{ name: 'u', token: 't0ken' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
});

after(async () => {
  await server?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

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
