// The EndpointSlice controller against the real in-process API, the test acting as the kubelet: slice names,
// labels, owner, endpoints with conditions, zone and targetRef; the placeholder slice; terminating pods;
// splitting at 100 endpoints; services without a selector; slices going with their service.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { createNode, createPod, setPodRunning } from '../endpoints/testing.js';
import { EndpointSliceController } from './controller.js';

const ns = 'default';
const svcRef = { apiVersion: 'v1', kind: 'Service', namespace: ns };
const sliceRef = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespace: ns };
const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: ns };
let api: TestApi;
let client: KubeClient;
let controller: EndpointSliceController;
const errors: unknown[] = [];

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  controller = new EndpointSliceController(client, { onError: (error) => errors.push(error) });
  await controller.start();
  await createNode(client, 'node-a', 'ap-northeast-2a');
  await createNode(client, 'node-b', 'ap-northeast-2b');
});
after(async () => {
  controller.stop();
  await api.close();
});

async function createService(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}) {
  return client.create<KubeObject>({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels },
    spec,
  });
}

async function slicesOf(service: string): Promise<KubeObject[]> {
  const list = await client.list(sliceRef, { labelSelector: `kubernetes.io/service-name=${service}` });
  return list.items;
}

async function slicesWhere(service: string, check: (slices: KubeObject[]) => boolean): Promise<KubeObject[]> {
  return until(async () => {
    const slices = await slicesOf(service);
    return check(slices) && slices;
  }, `slices of ${service}`);
}

const endpointCount = (slices: KubeObject[]) => slices.reduce((n, s) => n + (s.endpoints?.length ?? 0), 0);

it('keeps a placeholder slice until pods come, then one slice with their endpoints', async () => {
  const svc = await createService(
    'web',
    { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
    { tier: 'front' },
  );
  const [placeholder] = await slicesWhere('web', (s) => s.length === 1);
  assert.match(placeholder.metadata.name!, /^web-[a-z0-9]{5}$/);
  assert.equal(placeholder.endpoints, null);
  assert.equal(placeholder.ports, null);

  const ports = [{ name: 'http', containerPort: 8080 }];
  const a = await createPod(client, 'web-a', { labels: { app: 'web' }, nodeName: 'node-a', ports });
  await createPod(client, 'web-b', { labels: { app: 'web' }, nodeName: 'node-b', ports });
  await setPodRunning(client, 'web-a', '10.0.130.1', true);
  await setPodRunning(client, 'web-b', '10.0.130.2', false);
  const [slice] = await slicesWhere('web', (s) => s.length === 1 && s[0].endpoints?.length === 2);
  assert.equal(slice.metadata.name, placeholder.metadata.name, 'the placeholder is reused');
  assert.equal(slice.addressType, 'IPv4');
  assert.deepEqual(slice.metadata.labels, {
    tier: 'front',
    'kubernetes.io/service-name': 'web',
    'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
  });
  assert.deepEqual(slice.metadata.ownerReferences, [
    {
      apiVersion: 'v1',
      kind: 'Service',
      name: 'web',
      uid: svc.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  assert.ok(slice.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);
  assert.deepEqual(slice.ports, [{ name: '', port: 8080, protocol: 'TCP' }]);
  const byName = Object.fromEntries(slice.endpoints.map((e: any) => [e.targetRef.name, e]));
  assert.deepEqual(byName['web-a'], {
    addresses: ['10.0.130.1'],
    conditions: { ready: true, serving: true, terminating: false },
    targetRef: { kind: 'Pod', namespace: ns, name: 'web-a', uid: a.metadata.uid },
    nodeName: 'node-a',
    zone: 'ap-northeast-2a',
  });
  assert.deepEqual(byName['web-b'].conditions, { ready: false, serving: false, terminating: false });
  assert.equal(byName['web-b'].zone, 'ap-northeast-2b');

  await client.delete(podRef, 'web-a');
  const [terminating] = await slicesWhere('web', (s) =>
    s[0]?.endpoints?.some((e: any) => e.targetRef.name === 'web-a' && e.conditions.terminating),
  );
  const gone = terminating.endpoints.find((e: any) => e.targetRef.name === 'web-a');
  assert.deepEqual(gone.conditions, { ready: false, serving: true, terminating: true });
});

it('splits endpoints into slices of at most 100 and shrinks them as pods go', async () => {
  await createService('big', { selector: { app: 'big' }, ports: [{ name: 'http', port: 80 }] });
  for (let i = 0; i < 150; i++) {
    await createPod(client, `big-${i}`, { labels: { app: 'big' }, nodeName: i % 2 ? 'node-a' : 'node-b' });
    await setPodRunning(client, `big-${i}`, `10.0.${140 + Math.floor(i / 100)}.${(i % 100) + 1}`, true);
  }
  const slices = await slicesWhere('big', (s) => endpointCount(s) === 150);
  // How 150 endpoints split depends on how the pods' arrivals batch into syncs (kube's reconciler keeps a full
  // slice unchanged rather than repack it): two slices, none over 100.
  assert.equal(slices.length, 2);
  for (const slice of slices) assert.ok(slice.endpoints.length <= 100, `${slice.endpoints.length} endpoints`);
  for (const slice of slices) assert.deepEqual(slice.ports, [{ name: 'http', port: 80, protocol: 'TCP' }]);
  const addresses = new Set(slices.flatMap((s) => s.endpoints.map((e: any) => e.addresses[0])));
  assert.equal(addresses.size, 150);

  for (let i = 0; i < 60; i++) await client.delete(podRef, `big-${i}`, { gracePeriodSeconds: 0 });
  const after = await slicesWhere('big', (s) => endpointCount(s) === 90);
  assert.ok(after.length <= 2 && after.every((s) => s.endpoints.length <= 100));
});

it('marks headless slices and leaves services without a selector alone', async () => {
  await createService('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] });
  await createPod(client, 'db-0', { labels: { app: 'db' }, nodeName: 'node-a', hostname: 'db-0', subdomain: 'db' });
  await setPodRunning(client, 'db-0', '10.0.150.1', true);
  const [slice] = await slicesWhere('db', (s) => s[0]?.endpoints?.length === 1);
  assert.equal(slice.metadata.labels?.['service.kubernetes.io/headless'], '');
  assert.equal(slice.endpoints[0].hostname, 'db-0');

  await createService('external', { ports: [{ port: 443 }] });
  await controller.queue.drained();
  assert.deepEqual(await slicesOf('external'), []);
});

it('deletes the slices with their service', async () => {
  await createService('short', { selector: { app: 'short' }, ports: [{ port: 80 }] });
  await slicesWhere('short', (s) => s.length === 1);
  await client.delete(svcRef, 'short');
  await slicesWhere('short', (s) => s.length === 0);
  assert.deepEqual(errors, []);
});
