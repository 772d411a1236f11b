// The Ingress and IngressClass printers: class or <none>, hosts or "*", the load balancer's address, 80 / 80, 443.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { toTable } from '../to-table.js';

const now = new Date('2026-11-22T12:00:00Z');
const created = '2026-11-22T11:59:00Z';
const ingress = (name: string, spec: object, status: object = {}): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'default', creationTimestamp: created },
  spec,
  status,
});

it('prints an Ingress as kubectl get ingress shows it', () => {
  const table = toTable(
    'Ingress',
    'networking.k8s.io',
    [
      ingress('ingress-2048', { ingressClassName: 'alb', rules: [{ http: {} }] }),
      ingress(
        'web',
        { rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }], tls: [{ hosts: ['a.example.com'] }] },
        { loadBalancer: { ingress: [{ hostname: 'k8s-game.elb.amazonaws.com' }] } },
      ),
    ],
    { now },
  );
  assert.deepEqual(
    table.columnDefinitions.map((d) => d.name),
    ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'],
  );
  assert.deepEqual(table.rows[0].cells, ['ingress-2048', 'alb', '*', '', '80', '60s']);
  assert.deepEqual(table.rows[1].cells, [
    'web',
    '<none>',
    'a.example.com,b.example.com',
    'k8s-game.elb.amazonaws.com',
    '80, 443',
    '60s',
  ]);
});

it('prints an IngressClass with its controller and parameters', () => {
  const table = toTable(
    'IngressClass',
    'networking.k8s.io',
    [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: { name: 'alb', creationTimestamp: created },
        spec: {
          controller: 'ingress.k8s.aws/alb',
          parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb' },
        },
      },
    ],
    { now },
  );
  assert.deepEqual(table.rows[0].cells, ['alb', 'ingress.k8s.aws/alb', 'IngressClassParams.elbv2.k8s.aws/alb', '60s']);
});
