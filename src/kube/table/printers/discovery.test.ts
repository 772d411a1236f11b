// The EndpointSlice printer: address type, the first three ports and addresses, "+ N more...", <unset>.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { toTable } from '../to-table.js';

const now = new Date('2026-11-22T12:00:00Z');
const slice = (name: string, body: object): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'default', creationTimestamp: '2026-11-20T09:00:00Z' },
  addressType: 'IPv4',
  ...body,
});

it('prints up to three ports and addresses, then how many more', () => {
  const endpoints = [1, 2, 3, 4, 5].map((i) => ({ addresses: [`10.0.0.${i}`] }));
  const table = toTable(
    'EndpointSlice',
    'discovery.k8s.io',
    [slice('web-abcde', { endpoints, ports: [{ name: 'http', port: 8080 }] })],
    { now },
  );
  assert.deepEqual(
    table.columnDefinitions.map((d) => d.name),
    ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
  );
  assert.deepEqual(table.rows[0].cells, [
    'web-abcde',
    'IPv4',
    '8080',
    '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...',
    '2d3h',
  ]);
  for (const d of table.columnDefinitions) assert.ok(d.description.length > 0, `${d.name} has a description`);
});

it('prints <unset> for a placeholder slice', () => {
  const table = toTable('EndpointSlice', 'discovery.k8s.io', [slice('web-xyz12', { endpoints: null, ports: null })], {
    now,
  });
  assert.deepEqual(table.rows[0].cells, ['web-xyz12', 'IPv4', '<unset>', '<unset>', '2d3h']);
});
