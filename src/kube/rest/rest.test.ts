// The REST verbs against a real store: selectors, paging pinned to a revision, watch resume and selector
// transitions, generation, status and scale subresources, binding, finalizers, graceful pod deletion,
// deletecollection and dry run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import type { KubeObject, KubeWatchEvent } from '../api/types.js';
import { createApiContext, inProcessClient } from '../index.js';

let store: Backend;
let client: ReturnType<typeof inProcessClient>;
const cms = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' };
const pods = { apiVersion: 'v1', kind: 'Pod', namespace: 'default' };
const deployments = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default' };

before(async () => {
  store = await openStore({ kind: 'memory' });
  client = inProcessClient(await createApiContext(store));
});
after(() => store.close());

const cm = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels },
});
const pod = (name: string, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], ...(nodeName ? { nodeName } : {}) },
});
const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

describe('list', () => {
  it('filters by label selectors and pages at one revision', async () => {
    for (let i = 0; i < 7; i++) await client.create(cm(`page-${i}`, { tier: i % 2 ? 'odd' : 'even' }));
    const odd = await client.list(cms, { labelSelector: 'tier=odd' });
    assert.deepEqual(
      odd.items.map((i) => i.metadata.name),
      ['page-1', 'page-3', 'page-5'],
    );
    const notIn = await client.list(cms, { labelSelector: 'tier notin (odd),tier' });
    assert.equal(notIn.items.length, 4);
    const first = await client.list(cms, { labelSelector: 'tier', limit: 3 });
    assert.equal(first.items.length, 3);
    assert.ok(first.metadata.continue);
    await client.create(cm('page-00', { tier: 'even' }));
    const rest = await client.list(cms, { labelSelector: 'tier', limit: 10, continue: first.metadata.continue });
    assert.equal(rest.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.deepEqual(
      [...first.items, ...rest.items].map((i) => i.metadata.name),
      ['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6'],
    );
  });

  it('selects pods by spec.nodeName and refuses unknown fields', async () => {
    await client.create(pod('on-node', 'node-a'));
    await client.create(pod('nowhere'));
    const onNode = await client.list(pods, { fieldSelector: 'spec.nodeName=node-a' });
    assert.deepEqual(
      onNode.items.map((p) => p.metadata.name),
      ['on-node'],
    );
    await assert.rejects(
      client.list(pods, { fieldSelector: 'spec.foo=bar' }),
      (e: any) => e.code === 400 && /field label not supported: spec.foo/.test(e.message),
    );
  });
});

describe('watch', () => {
  it('resumes from a resourceVersion and turns selector transitions into ADDED/DELETED', async () => {
    const start = (await client.list(cms)).metadata.resourceVersion;
    await client.create(cm('w1', { watch: 'yes' }));
    const events: string[] = [];
    const watcher = await client.watch(
      cms,
      { resourceVersion: start, labelSelector: 'watch=yes' },
      (e: KubeWatchEvent) => {
        events.push(`${e.type} ${(e.object as KubeObject).metadata.name}`);
      },
    );
    await client.patch(cms, 'w1', { data: { a: 'b' } }, 'merge');
    await client.patch(cms, 'w1', { metadata: { labels: { watch: 'no' } } }, 'merge');
    await client.patch(cms, 'w1', { metadata: { labels: { watch: 'yes' } } }, 'merge');
    await client.delete(cms, 'w1');
    watcher.close();
    assert.deepEqual(events, ['ADDED w1', 'MODIFIED w1', 'DELETED w1', 'ADDED w1', 'DELETED w1']);
  });

  it('reports a compacted resourceVersion as a 410 ERROR event', async () => {
    const old = (await client.list(cms)).metadata.resourceVersion;
    await client.create(cm('compact-me'));
    await client.create(cm('compact-me-too'));
    await store.compact(await store.currentRevision());
    const events: KubeWatchEvent[] = [];
    const watcher = await client.watch(cms, { resourceVersion: old }, (e) => events.push(e));
    await watcher.done;
    assert.equal(events[0].type, 'ERROR');
    assert.equal((events[0].object as any).code, 410);
  });
});

describe('writes', () => {
  it('bumps generation on spec changes only, and keeps status apart', async () => {
    await client.create(deployment('gen'));
    const labelled = await client.patch(deployments, 'gen', { metadata: { labels: { a: 'b' } } }, 'merge');
    assert.equal(labelled.metadata.generation, 1);
    const changed = await client.patch(deployments, 'gen', { spec: { replicas: 3 }, status: { replicas: 9 } }, 'merge');
    assert.equal(changed.metadata.generation, 2);
    assert.deepEqual(changed.status, {});
    const status = await client.update(
      { ...changed, status: { replicas: 3, observedGeneration: 2 } },
      { subresource: 'status' },
    );
    assert.equal(status.status.replicas, 3);
    assert.equal(status.metadata.generation, 2);
  });

  it('scales through the scale subresource', async () => {
    const scale = await client.patch(deployments, 'gen', { spec: { replicas: 5 } }, 'merge', { subresource: 'scale' });
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.spec.replicas, 5);
    assert.equal(scale.status.selector, 'app=gen');
    assert.equal((await client.get(deployments, 'gen')).spec.replicas, 5);
  });

  it('binds a pod once', async () => {
    await client.create(pod('to-bind'));
    const target = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'to-bind', annotations: { 'example.com/placed': 'yes' } },
      target: { kind: 'Node', name: 'n1' },
    };
    await client.createSubresource(pods, 'to-bind', 'binding', target);
    const bound = await client.get(pods, 'to-bind');
    assert.equal(bound.spec.nodeName, 'n1');
    assert.equal(bound.metadata.annotations?.['example.com/placed'], 'yes');
    assert.equal(bound.status.conditions[0].type, 'PodScheduled');
    await assert.rejects(client.createSubresource(pods, 'to-bind', 'binding', target), (e: any) => e.code === 409);
  });

  it('refuses a Binding of the wrong types as kube-apiserver decodes it, and leaves the pod unbound', async () => {
    await client.create(pod('bad-binding'));
    const binding = (annotations: unknown, name: unknown = 'n1') =>
      ({
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'bad-binding', annotations },
        target: { kind: 'Node', name },
      }) as unknown as KubeObject;
    const prefix = 'Binding in version "v1" cannot be handled as a Binding: json: cannot unmarshal';
    await assert.rejects(
      client.createSubresource(pods, 'bad-binding', 'binding', binding({ placed: 5 })),
      (e: any) =>
        e.code === 400 &&
        e.message === `${prefix} number into Go struct field ObjectMeta.metadata.annotations of type string`,
    );
    await assert.rejects(
      client.createSubresource(pods, 'bad-binding', 'binding', binding({}, 7)),
      (e: any) =>
        e.code === 400 && e.message.startsWith(`${prefix} number into Go struct field ObjectReference.target.name`),
    );
    const unbound = await client.get(pods, 'bad-binding');
    assert.equal(unbound.spec.nodeName, undefined);
    assert.equal(unbound.metadata.annotations?.placed, undefined);
  });

  it('keeps an object with finalizers until they are removed', async () => {
    await client.create({ ...cm('held'), metadata: { ...cm('held').metadata, finalizers: ['example.com/hold'] } });
    const marked = await client.delete(cms, 'held');
    assert.ok(marked.metadata.deletionTimestamp);
    assert.ok((await client.get(cms, 'held')).metadata.deletionTimestamp);
    await client.patch(cms, 'held', { metadata: { finalizers: null } }, 'merge');
    await assert.rejects(client.get(cms, 'held'), (e: any) => e.code === 404);
  });

  it('deletes a pod on a node gracefully, and at once when not scheduled or with grace 0', async () => {
    const marked = await client.delete(pods, 'on-node');
    assert.equal(marked.metadata.deletionGracePeriodSeconds, 30);
    assert.ok((await client.get(pods, 'on-node')).metadata.deletionTimestamp);
    await client.delete(pods, 'on-node', { gracePeriodSeconds: 0 });
    await assert.rejects(client.get(pods, 'on-node'), (e: any) => e.code === 404);
    await client.delete(pods, 'nowhere');
    await assert.rejects(client.get(pods, 'nowhere'), (e: any) => e.code === 404);
  });

  it('checks delete preconditions', async () => {
    await client.create(cm('pre'));
    await assert.rejects(
      client.delete(cms, 'pre', { preconditions: { uid: 'other' } }),
      (e: any) => e.code === 409 && /Precondition failed: UID in precondition: other/.test(e.message),
    );
  });

  it('stores nothing on dry run', async () => {
    const dry = await client.create(cm('dry'), { dryRun: true });
    assert.equal(dry.metadata.name, 'dry');
    await assert.rejects(client.get(cms, 'dry'), (e: any) => e.code === 404);
  });
});
