// The slice plan on its own: packing into slices of 100, the closest-fitting slice taking new endpoints,
// removals updating slices in place, a port change reusing the old slice's name, the placeholder kept.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { type DesiredGroup, planSlices, portsKey } from './slices.js';

const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', uid: 'u1' } };
const labels = {
  'kubernetes.io/service-name': 'web',
  'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
};
const http = [{ name: 'http', port: 8080, protocol: 'TCP' }];
const endpoint = (i: number) => ({
  addresses: [`10.0.${Math.floor(i / 250)}.${i % 250}`],
  conditions: { ready: true, serving: true, terminating: false },
  targetRef: { kind: 'Pod', namespace: 'default', name: `p${i}`, uid: `uid${i}` },
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => endpoint(from + i));
const desired = (endpoints: unknown[], ports = http) =>
  new Map<string, DesiredGroup>([[portsKey(ports), { ports, endpoints }]]);
const stored = (name: string, endpoints: unknown[] | null, ports: unknown[] | null = http): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: {
    name,
    namespace: 'default',
    labels,
    ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'u1', controller: true }],
  },
  addressType: 'IPv4',
  endpoints,
  ports,
});

it('packs 250 endpoints into slices of 100, 100 and 50', () => {
  const plan = planSlices(service, labels, desired(range(0, 250)), []);
  assert.deepEqual(
    plan.create.map((s) => s.endpoints.length),
    [100, 100, 50],
  );
  assert.equal(plan.create[0].metadata.generateName, 'web-');
  assert.deepEqual([plan.update, plan.delete], [[], []]);
});

it('puts new endpoints into the unchanged slice they fit most closely', () => {
  const existing = [
    stored('web-full', range(0, 100)),
    stored('web-half', range(100, 150)),
    stored('web-few', range(150, 160)),
  ];
  const plan = planSlices(service, labels, desired(range(0, 190)), existing);
  assert.deepEqual(plan.create, []);
  assert.deepEqual(
    plan.update.map((s) => [s.metadata.name, s.endpoints.length]),
    [['web-half', 80]],
  );
});

it('updates a slice in place when endpoints go or change, and deletes one left empty', () => {
  const existing = [stored('web-a', range(0, 3)), stored('web-b', range(3, 5))];
  const changed = { ...endpoint(1), conditions: { ready: false, serving: false, terminating: true } };
  const plan = planSlices(service, labels, desired([endpoint(0), changed]), existing);
  assert.deepEqual(
    plan.update.map((s) => [s.metadata.name, s.endpoints]),
    [['web-a', [endpoint(0), changed]]],
  );
  assert.deepEqual(
    plan.delete.map((s) => s.metadata.name),
    ['web-b'],
  );
});

it('reuses a deleted slice for new ports, and keeps an existing placeholder', () => {
  const other = [{ name: 'http', port: 9090, protocol: 'TCP' }];
  const plan = planSlices(service, labels, desired(range(0, 2), other), [stored('web-a', range(0, 2))]);
  assert.deepEqual([plan.create, plan.delete], [[], []]);
  assert.equal(plan.update[0].metadata.name, 'web-a');
  assert.deepEqual(plan.update[0].ports, other);

  const empty = planSlices(service, labels, new Map(), [stored('web-p', null, null)]);
  assert.deepEqual(empty, { create: [], update: [], delete: [] });
  const fresh = planSlices(service, labels, new Map(), []);
  assert.deepEqual([fresh.create.length, fresh.create[0].endpoints, fresh.create[0].ports], [1, [], []]);
});
