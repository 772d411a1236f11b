import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../kube/api/types.js';
import { inProcessClient } from '../kube/index.js';
import { parseLabelSelector } from '../kube/selectors/labels.js';
import { startTestApi, type TestApi } from '../kube/testing/api.js';
import { until } from '../testing/until.js';
import { InformerFactory } from './factory.js';

let api: TestApi;
let client: ReturnType<typeof inProcessClient>;
const podRef = (namespace?: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace });
const watches = () => (api.store as unknown as { hub: { size: number } }).hub.size;

const pod = (
  namespace: string,
  name: string,
  extra: { labels?: Record<string, string>; node?: string; owner?: string },
) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace,
    labels: extra.labels,
    ownerReferences: extra.owner
      ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: extra.owner, controller: true }]
      : undefined,
  },
  spec: { nodeName: extra.node, containers: [{ name: 'c', image: 'nginx' }] },
});

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  for (const ns of ['a', 'b']) await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
});
after(() => api.close());

it('shares one watch per resource between components; the last stop ends it', async () => {
  const factory = new InformerFactory(client);
  const before = watches();
  const first = factory.handle(podRef(), () => {});
  const seen: string[] = [];
  const second = factory.handle<KubeObject>(podRef(), (_old, current) => current && seen.push(current.metadata.name!));
  await first.start();
  await client.create(pod('a', 'early', {}));
  await second.start();
  assert.equal(watches(), before + 1);
  assert.deepEqual(seen, ['early'], 'a late handler hears the cache as additions');
  await client.create(pod('a', 'late', {}));
  assert.deepEqual(seen, ['early', 'late']);
  first.stop();
  assert.equal(watches(), before + 1);
  second.stop();
  assert.equal(watches(), before);
  assert.notEqual(factory.informerFor(podRef(), { fieldSelector: 'spec.nodeName=n1' }), first.informer);
});

it('a selector slice is its own informer; listers read the indexes', async () => {
  const factory = new InformerFactory(client);
  await client.create(pod('a', 'web-1', { labels: { app: 'web' }, node: 'n1', owner: 'u1' }));
  await client.create(pod('b', 'web-2', { labels: { app: 'web' }, node: 'n2', owner: 'u1' }));
  await client.create(pod('b', 'db-1', { labels: { app: 'db' }, node: 'n1' }));
  const all = factory.handle(podRef(), () => {});
  const onN1 = factory.handle(podRef(), () => {}, { fieldSelector: 'spec.nodeName=n1' });
  await all.start();
  await onN1.start();
  const names = (objects: KubeObject[]) => objects.map((o) => o.metadata.name).sort();
  assert.deepEqual(names([...onN1.cache.values()]), ['db-1', 'web-1']);
  assert.deepEqual(names(all.lister.list('b')), ['db-1', 'web-2']);
  assert.deepEqual(names(all.lister.list(undefined, parseLabelSelector('app=web'))), ['web-1', 'web-2']);
  assert.deepEqual(names(all.lister.list('a', parseLabelSelector('app in (web,db)'))), ['web-1']);
  assert.deepEqual(names(all.lister.ownedBy('u1')), ['web-1', 'web-2']);
  assert.deepEqual(names(all.lister.onNode('n1')), ['db-1', 'web-1']);
  await client.delete(podRef('a'), 'web-1', { gracePeriodSeconds: 0 });
  await client.patch(podRef('b'), 'web-2', { metadata: { labels: { app: 'api' } } }, 'merge');
  await until(() => all.lister.ownedBy('u1').length === 1, 'the deletion and relabel');
  assert.deepEqual(names(all.lister.list(undefined, parseLabelSelector('app=web'))), []);
  assert.deepEqual(names(all.lister.list(undefined, parseLabelSelector('app=api'))), ['web-2']);
  assert.equal(all.lister.get('b', 'web-2')?.metadata.labels?.app, 'api');
  assert.deepEqual(names([...onN1.cache.values()]), ['db-1']);
  all.stop();
  onN1.stop();
});

it('a namespace or label slice is served from the whole resource’s watch, as a watch on the slice would tell it', async () => {
  const factory = new InformerFactory(client);
  const before = watches();
  const heard: string[] = [];
  const webInA = factory.handle<KubeObject>(
    podRef('a'),
    (old, current) =>
      heard.push(`${old ? (current ? 'changed' : 'left') : 'entered'} ${(current ?? old)!.metadata.name}`),
    { labelSelector: 'tier=front' },
  );
  const inB = factory.handle(podRef('b'), () => {});
  await client.create(pod('a', 'front-1', { labels: { tier: 'front' } }));
  await client.create(pod('b', 'front-2', { labels: { tier: 'front' } }));
  await webInA.start();
  await inB.start();
  assert.equal(watches(), before + 1, 'one watch: the whole resource’s');
  assert.deepEqual([...webInA.cache.keys()], ['a/front-1']);
  assert.ok(inB.cache.has('b/front-2') && !inB.cache.has('a/front-1'));
  await client.create(pod('a', 'back-1', { labels: { tier: 'back' } }));
  await client.patch(podRef('a'), 'back-1', { metadata: { labels: { tier: 'front' } } }, 'merge');
  await client.patch(podRef('a'), 'front-1', { metadata: { labels: { tier: 'back' } } }, 'merge');
  await client.patch(podRef('a'), 'back-1', { metadata: { annotations: { x: '1' } } }, 'merge');
  await until(() => heard.length === 4, 'the slice’s changes');
  assert.deepEqual(heard, ['entered front-1', 'entered back-1', 'left front-1', 'changed back-1']);
  assert.deepEqual(
    [...webInA.lister.list()].map((p) => p.metadata.name),
    ['back-1'],
  );
  webInA.stop();
  assert.equal(watches(), before + 1, 'the other slice still runs');
  inB.stop();
  assert.equal(watches(), before, 'the last slice stopped the whole resource’s watch');
  const late: string[] = [];
  const again = factory.handle<KubeObject>(
    podRef('a'),
    (_old, current) => current && late.push(current.metadata.name!),
  );
  await again.start();
  assert.ok(late.includes('back-1') && late.includes('front-1'), 'a restarted slice hears its objects again');
  again.stop();
  assert.equal(watches(), before);
});
