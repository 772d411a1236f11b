// HttpKubeClient against a real in-process kube API over HTTPS: kubeconfig loading and its errors, discovery
// for namespaced and cluster-scoped kinds, every verb, the four patch types, a watch, and 404/409 Status errors.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { ApiError } from '../api/errors.js';
import type { KubeObject, KubeWatchEvent } from '../api/types.js';
import { startTestApi, type TestApi } from '../testing/api.js';
import { HttpKubeClient, KubeconfigError } from './http.js';

let api: TestApi;
let kubeconfig: string;
let client: HttpKubeClient;

const pods = { apiVersion: 'v1', kind: 'Pod', namespace: 'default' };
const configMaps = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' };
const deployments = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default' };

function pod(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  };
}

async function rejects(promise: Promise<unknown>, code: number, reason: string): Promise<ApiError> {
  const error = await promise.then(
    () => assert.fail(`expected ${code} ${reason}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ApiError, `expected an ApiError, got ${error}`);
  assert.equal(error.code, code);
  assert.equal(error.reason, reason);
  return error;
}

before(async () => {
  api = await startTestApi();
  const { server } = api;
  kubeconfig = join(api.dir, 'kubeconfig');
  const caData = Buffer.from(api.caCert).toString('base64');
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: server.url, 'certificate-authority-data': caData } }],
      users: [
        { name: 'u', user: { token: 't0ken' } },
        { name: 'wrong', user: { token: 'nope' } },
      ],
      contexts: [
        { name: 'x', context: { cluster: 'c', user: 'u' } },
        { name: 'bad-token', context: { cluster: 'c', user: 'wrong' } },
      ],
      'current-context': 'x',
    }),
  );
  client = HttpKubeClient.fromKubeconfig(kubeconfig);
});

after(async () => {
  client?.close();
  await api?.close();
});

describe('fromKubeconfig', () => {
  it('says which file is missing', () => {
    const missing = join(api.dir, 'nope');
    assert.throws(
      () => HttpKubeClient.fromKubeconfig(missing),
      (e: Error) => e instanceof KubeconfigError && e.message.includes(missing),
    );
  });
  it('says which context is missing', () => {
    assert.throws(() => HttpKubeClient.fromKubeconfig(kubeconfig, 'other'), /context "other" not found in kubeconfig/);
  });
  it('uses the named context: a wrong token is a 401 Status', async () => {
    const wrong = HttpKubeClient.fromKubeconfig(kubeconfig, 'bad-token');
    try {
      await rejects(wrong.list(pods), 401, 'Unauthorized');
    } finally {
      wrong.close();
    }
  });
});

describe('verbs', () => {
  it('create, get, list with a label selector, update', async () => {
    const created = await client.create<KubeObject>({
      ...pod('p1'),
      metadata: { name: 'p1', namespace: 'default', labels: { app: 'a' } },
    });
    assert.equal(created.metadata.name, 'p1');
    assert.ok(created.metadata.uid);
    await client.create(pod('p2'));
    const got = await client.get(pods, 'p1');
    assert.equal(got.metadata.uid, created.metadata.uid);
    const selected = await client.list(pods, { labelSelector: 'app=a' });
    assert.deepEqual(
      selected.items.map((p) => p.metadata.name),
      ['p1'],
    );
    const all = await client.list({ apiVersion: 'v1', kind: 'Pod' });
    assert.ok(all.items.length >= 2);
    got.metadata.labels = { app: 'b' };
    const updated = await client.update(got);
    assert.equal(updated.metadata.labels?.app, 'b');
    assert.notEqual(updated.metadata.resourceVersion, created.metadata.resourceVersion);
  });

  it('a created object without a namespace lands in the context namespace ("default")', async () => {
    const cm = await client.create<KubeObject>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'no-ns' },
      data: { a: '1' },
    });
    assert.equal(cm.metadata.namespace, 'default');
  });

  it('cluster-scoped kinds and plural resource names resolve through discovery', async () => {
    const ns = await client.create<KubeObject>({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    assert.equal(ns.metadata.name, 'team-a');
    const byPlural = await client.get({ apiVersion: 'v1', kind: 'namespaces' }, 'team-a');
    assert.equal(byPlural.metadata.uid, ns.metadata.uid);
    const inNamespace = await client.create<KubeObject>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'team-a' },
    });
    assert.equal(inNamespace.metadata.namespace, 'team-a');
  });

  it('an unknown kind or group-version is a 404 NotFound', async () => {
    const e1 = await rejects(client.get({ apiVersion: 'v1', kind: 'Nope' }, 'x'), 404, 'NotFound');
    assert.match(e1.message, /no matches for kind "Nope" in version "v1"/);
    await rejects(client.list({ apiVersion: 'example.com/v9', kind: 'Widget' }), 404, 'NotFound');
  });

  it('get of a missing object is the server 404 Status; create of an existing one is 409 AlreadyExists', async () => {
    const missing = await rejects(client.get(pods, 'absent'), 404, 'NotFound');
    assert.equal(missing.message, 'pods "absent" not found');
    assert.equal(missing.status.details?.name, 'absent');
    const exists = await rejects(client.create(pod('p1')), 409, 'AlreadyExists');
    assert.equal(exists.message, 'pods "p1" already exists');
  });

  it('an update with a stale resourceVersion is 409 Conflict', async () => {
    const current = await client.get(pods, 'p2');
    await client.patch(pods, 'p2', { metadata: { labels: { bump: '1' } } }, 'merge');
    await rejects(client.update(current), 409, 'Conflict');
  });

  it('patches of all four types', async () => {
    await client.create<KubeObject>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'patched', namespace: 'default' },
      data: { a: '1' },
    });
    const merged = await client.patch(configMaps, 'patched', { data: { b: '2' } }, 'merge');
    assert.deepEqual(merged.data, { a: '1', b: '2' });
    const strategic = await client.patch(configMaps, 'patched', { metadata: { labels: { s: 'y' } } }, 'strategic');
    assert.equal(strategic.metadata.labels?.s, 'y');
    const json = await client.patch(configMaps, 'patched', [{ op: 'remove', path: '/data/a' }], 'json');
    assert.deepEqual(json.data, { b: '2' });
    const applied = await client.patch(
      configMaps,
      'patched',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'patched' }, data: { c: '3' } },
      'apply',
      { fieldManager: 'tester' },
    );
    assert.equal(applied.data?.c, '3');
    const createdByApply = await client.patch(
      configMaps,
      'applied-new',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied-new' }, data: { n: '1' } },
      'apply',
    );
    assert.equal(createdByApply.metadata.uid !== undefined, true);
    assert.deepEqual((await client.get(configMaps, 'applied-new')).data, { n: '1' });
    const dry = await client.patch(configMaps, 'patched', { data: { d: '4' } }, 'merge', { dryRun: true });
    assert.equal(dry.data?.d, '4');
    assert.equal((await client.get(configMaps, 'patched')).data?.d, undefined);
  });

  it('createSubresource binds a pod; binding it again is 409', async () => {
    await client.create(pod('bind-me'));
    const status = await client.createSubresource(pods, 'bind-me', 'binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'bind-me' },
      target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' },
    });
    assert.equal(status.kind, 'Status');
    assert.equal((await client.get(pods, 'bind-me')).spec.nodeName, 'node-1');
    const again = client.createSubresource(pods, 'bind-me', 'binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'bind-me' },
      target: { apiVersion: 'v1', kind: 'Node', name: 'node-2' },
    });
    await rejects(again, 409, 'Conflict');
  });

  it('the scale subresource of a Deployment: get and update', async () => {
    await client.create<KubeObject>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    });
    const scale = await client.get(deployments, 'web', 'scale');
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.spec.replicas, 1);
    scale.spec.replicas = 3;
    await client.update({ ...scale, apiVersion: 'apps/v1', kind: 'Deployment' }, { subresource: 'scale' });
    assert.equal((await client.get(deployments, 'web')).spec.replicas, 3);
  });

  it('delete sends DeleteOptions (a resourceVersion precondition that fails is 409)', async () => {
    await client.create(pod('doomed'));
    await rejects(client.delete(pods, 'doomed', { preconditions: { resourceVersion: '1' } }), 409, 'Conflict');
    const deleted = await client.delete(pods, 'doomed', { gracePeriodSeconds: 0 });
    assert.equal(deleted.metadata?.name ?? deleted.details?.name, 'doomed');
    await rejects(client.get(pods, 'doomed'), 404, 'NotFound');
    await rejects(client.delete(pods, 'doomed'), 404, 'NotFound');
  });
});

describe('watch', () => {
  it('streams ADDED, MODIFIED, DELETED from a resourceVersion; close() ends it', async () => {
    const start = await client.list(configMaps);
    const events: KubeWatchEvent[] = [];
    const watcher = await client.watch(configMaps, { resourceVersion: start.metadata.resourceVersion }, (e) =>
      events.push(e),
    );
    await client.create<KubeObject>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'w', namespace: 'default' },
    });
    await client.patch(configMaps, 'w', { data: { x: '1' } }, 'merge');
    await client.delete(configMaps, 'w');
    const deadline = Date.now() + 5000;
    while (events.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(
      events.map((e) => `${e.type} ${(e.object as KubeObject).metadata.name}`),
      ['ADDED w', 'MODIFIED w', 'DELETED w'],
    );
    watcher.close();
    await watcher.done;
  });

  it('ends (done resolves) when the server ends it after timeoutSeconds', async () => {
    const started = Date.now();
    const watcher = await client.watch(pods, { timeoutSeconds: 1 }, () => {});
    await watcher.done;
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 900 && elapsed < 5000, `ended after ${elapsed} ms`);
  });

  it('a malformed resourceVersion is a 400 Status; a compacted one is an ERROR 410 event, then done', async () => {
    await rejects(
      client.watch(pods, { resourceVersion: 'not-a-number' }, () => {}),
      400,
      'BadRequest',
    );
    const before = await client.list(pods);
    await client.create(pod('after-compaction'));
    await api.store.compact(await api.store.currentRevision());
    const events: KubeWatchEvent[] = [];
    const watcher = await client.watch(pods, { resourceVersion: before.metadata.resourceVersion }, (e) =>
      events.push(e),
    );
    await watcher.done;
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'ERROR');
    assert.equal((events[0].object as { code: number }).code, 410);
  });
});
