// The Endpoints controller against the real in-process API, the test acting as the kubelet: addresses follow
// readiness, named target ports, headless services and hostnames, publishNotReadyAddresses, services without a
// selector left alone, pod and service deletion, and the `kubernetes` Service pointing at the API server.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { EndpointsController } from './controller.js';
import { createNode, createPod, setPodRunning } from './testing.js';

const ns = 'default';
const svcRef = { apiVersion: 'v1', kind: 'Service', namespace: ns };
const epRef = { apiVersion: 'v1', kind: 'Endpoints', namespace: ns };
const sliceRef = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespace: ns };
const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: ns };
let api: TestApi;
let client: KubeClient;
let controller: EndpointsController;
const errors: unknown[] = [];

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  controller = new EndpointsController(client, {
    onError: (error) => errors.push(error),
    apiServer: { addresses: ['10.0.130.10', '10.0.64.20'] },
  });
  await controller.start();
  await createNode(client, 'node-a', 'ap-northeast-2a');
});
after(async () => {
  controller.stop();
  await api.close();
});

function service(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels }, spec };
}

async function endpointsWhere(name: string, check: (ep: KubeObject) => boolean): Promise<KubeObject> {
  return until(async () => {
    const ep = await client.get(epRef, name).catch(() => undefined);
    return ep && check(ep) && ep;
  }, `endpoints ${name}`);
}

const ips = (list?: { ip: string }[]) => (list ?? []).map((a) => a.ip).sort();

it('lists ready pods as addresses and the others as notReadyAddresses, with named ports resolved', async () => {
  await client.create(
    service(
      'web',
      { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      { tier: 'front' },
    ),
  );
  const ports = [{ name: 'http', containerPort: 8080 }];
  const a = await createPod(client, 'web-a', { labels: { app: 'web' }, nodeName: 'node-a', ports });
  await createPod(client, 'web-b', { labels: { app: 'web' }, nodeName: 'node-a', ports });
  await createPod(client, 'web-pending', { labels: { app: 'web' }, ports });
  await setPodRunning(client, 'web-a', '10.0.130.1', true);
  await setPodRunning(client, 'web-b', '10.0.130.2', false);
  const ep = await endpointsWhere('web', (e) => e.subsets?.[0]?.notReadyAddresses?.length === 1);
  assert.deepEqual(ep.subsets, [
    {
      addresses: [
        {
          ip: '10.0.130.1',
          nodeName: 'node-a',
          targetRef: { kind: 'Pod', namespace: ns, name: 'web-a', uid: a.metadata.uid },
        },
      ],
      notReadyAddresses: [
        { ip: '10.0.130.2', nodeName: 'node-a', targetRef: (ep.subsets[0].notReadyAddresses[0] as any).targetRef },
      ],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
  ]);
  assert.equal(ep.subsets[0].notReadyAddresses[0].targetRef.name, 'web-b');
  assert.deepEqual(ep.metadata.labels, { tier: 'front' });
  assert.match(
    ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '',
    /^\d{4}-\d\d-\d\dT.*Z$/,
  );

  await setPodRunning(client, 'web-b', '10.0.130.2', true);
  const both = await endpointsWhere('web', (e) => e.subsets?.[0]?.addresses?.length === 2);
  assert.deepEqual(ips(both.subsets[0].addresses), ['10.0.130.1', '10.0.130.2']);
  assert.equal(both.subsets[0].notReadyAddresses, undefined);

  await setPodRunning(client, 'web-a', '10.0.130.1', false);
  const flipped = await endpointsWhere('web', (e) => e.subsets?.[0]?.notReadyAddresses?.length === 1);
  assert.deepEqual(ips(flipped.subsets[0].addresses), ['10.0.130.2']);
  assert.deepEqual(ips(flipped.subsets[0].notReadyAddresses), ['10.0.130.1']);
});

it('leaves out a pod for a port it does not name; addresses serving the same ports share a subset', async () => {
  await client.create(
    service('multi', {
      selector: { app: 'multi' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'metrics', port: 9090, targetPort: 9100 },
      ],
    }),
  );
  await createPod(client, 'multi-a', {
    labels: { app: 'multi' },
    nodeName: 'node-a',
    ports: [{ name: 'http', containerPort: 8080 }],
  });
  await createPod(client, 'multi-b', { labels: { app: 'multi' }, nodeName: 'node-a' });
  await setPodRunning(client, 'multi-a', '10.0.131.1', true);
  await setPodRunning(client, 'multi-b', '10.0.131.2', true);
  const ep = await endpointsWhere('multi', (e) => e.subsets?.length === 2);
  const byIps = Object.fromEntries(ep.subsets.map((s: any) => [ips(s.addresses).join(','), s.ports]));
  assert.deepEqual(byIps, {
    '10.0.131.1': [{ name: 'http', port: 8080, protocol: 'TCP' }],
    '10.0.131.1,10.0.131.2': [{ name: 'metrics', port: 9100, protocol: 'TCP' }],
  });
});

it('labels headless endpoints and gives pods their hostname when their subdomain is the service', async () => {
  await client.create(service('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] }));
  await createPod(client, 'db-0', { labels: { app: 'db' }, nodeName: 'node-a', hostname: 'db-0', subdomain: 'db' });
  await createPod(client, 'db-x', { labels: { app: 'db' }, nodeName: 'node-a', hostname: 'db-x', subdomain: 'other' });
  await setPodRunning(client, 'db-0', '10.0.132.1', true);
  await setPodRunning(client, 'db-x', '10.0.132.2', true);
  const ep = await endpointsWhere('db', (e) => e.subsets?.[0]?.addresses?.length === 2);
  assert.equal(ep.metadata.labels?.['service.kubernetes.io/headless'], '');
  const [first, second] = ep.subsets[0].addresses;
  assert.equal(first.hostname, 'db-0');
  assert.equal(second.hostname, undefined);
  assert.deepEqual(ep.subsets[0].ports, [{ port: 5432, protocol: 'TCP' }]);
});

it('publishes not-ready pods as addresses when publishNotReadyAddresses is set', async () => {
  await client.create(
    service('peers', { selector: { app: 'peers' }, publishNotReadyAddresses: true, ports: [{ port: 7000 }] }),
  );
  await createPod(client, 'peers-0', { labels: { app: 'peers' }, nodeName: 'node-a' });
  await setPodRunning(client, 'peers-0', '10.0.133.1', false);
  const ep = await endpointsWhere('peers', (e) => e.subsets?.[0]?.addresses?.length === 1);
  assert.deepEqual(ips(ep.subsets[0].addresses), ['10.0.133.1']);
  assert.equal(ep.subsets[0].notReadyAddresses, undefined);
});

it('leaves the Endpoints of a service without a selector as the user wrote them', async () => {
  await client.create(service('external', { ports: [{ port: 5432 }] }));
  await client.create({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'external', namespace: ns },
    subsets: [{ addresses: [{ ip: '192.168.1.5' }], ports: [{ port: 5432, protocol: 'TCP' }] }],
  });
  await createPod(client, 'stray', { labels: { app: 'external' }, nodeName: 'node-a' });
  await setPodRunning(client, 'stray', '10.0.134.1', true);
  await controller.queue.drained();
  const ep = await client.get(epRef, 'external');
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '192.168.1.5' }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
});

it('drops deleted pods, recreates deleted Endpoints, and deletes Endpoints with their service', async () => {
  await client.create(service('gone', { selector: { app: 'gone' }, ports: [{ port: 80 }] }));
  for (const [i, name] of ['gone-a', 'gone-b'].entries()) {
    await createPod(client, name, { labels: { app: 'gone' }, nodeName: 'node-a' });
    await setPodRunning(client, name, `10.0.135.${i + 1}`, true);
  }
  await endpointsWhere('gone', (e) => e.subsets?.[0]?.addresses?.length === 2);
  await client.delete(podRef, 'gone-a', { gracePeriodSeconds: 0 });
  const one = await endpointsWhere('gone', (e) => e.subsets?.[0]?.addresses?.length === 1);
  assert.deepEqual(ips(one.subsets[0].addresses), ['10.0.135.2']);
  await client.delete(podRef, 'gone-b');
  await endpointsWhere('gone', (e) => e.subsets === undefined);
  await client.delete(epRef, 'gone');
  await endpointsWhere('gone', () => true);
  await client.delete(svcRef, 'gone');
  await until(async () => !(await client.get(epRef, 'gone').catch(() => undefined)), 'endpoints deleted');
});

it('points the kubernetes Service at the API server addresses on 443', async () => {
  const ep = await endpointsWhere('kubernetes', () => true);
  assert.deepEqual(ep.subsets, [
    {
      addresses: [{ ip: '10.0.130.10' }, { ip: '10.0.64.20' }],
      ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
    },
  ]);
  assert.equal(ep.metadata.labels?.['endpointslice.kubernetes.io/skip-mirror'], 'true');
  const slice = await client.get(sliceRef, 'kubernetes');
  assert.equal(slice.addressType, 'IPv4');
  assert.deepEqual(slice.metadata.labels, { 'kubernetes.io/service-name': 'kubernetes' });
  assert.deepEqual(slice.endpoints, [
    { addresses: ['10.0.130.10'], conditions: { ready: true } },
    { addresses: ['10.0.64.20'], conditions: { ready: true } },
  ]);
  assert.deepEqual(slice.ports, [{ name: 'https', port: 443, protocol: 'TCP' }]);
  assert.deepEqual(errors, []);
});
