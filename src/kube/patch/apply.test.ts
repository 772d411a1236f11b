// Server-side apply merge: list types from the schema, removal of fields the manager stopped applying, and the
// kubectl-last-applied second call that must leave the object whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schemaForKind } from '../schema/index.js';
import { appliedFieldSet, apply } from './index.js';

const schema = schemaForKind('apps', 'v1', 'Deployment');
const config = (image: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80 }], ...extra }] },
    },
  },
});

test('apply creates from nothing', () => {
  assert.deepEqual(apply(undefined, config('nginx:1'), schema), config('nginx:1'));
});

test('apply merges map lists by keys, keeps server-set fields, replaces atomic lists, unions sets', () => {
  const live: any = config('nginx:1', { env: [{ name: 'A', value: '1' }], args: ['a', 'b'] });
  live.metadata.uid = 'u1';
  live.metadata.finalizers = ['x'];
  live.spec.template.spec.containers[0].ports[0].protocol = 'TCP';
  live.spec.template.spec.containers.push({ name: 'injected', image: 'proxy' });
  live.status = { replicas: 2 };
  const applied: any = config('nginx:2', { env: [{ name: 'B', value: '2' }], args: ['c'] });
  applied.metadata.finalizers = ['y'];
  const result: any = apply(live, applied, schema);
  const [nginx, injected] = result.spec.template.spec.containers;
  assert.equal(nginx.image, 'nginx:2');
  assert.deepEqual(nginx.ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(nginx.env, [
    { name: 'A', value: '1' },
    { name: 'B', value: '2' },
  ]);
  assert.deepEqual(nginx.args, ['c']);
  assert.deepEqual(injected, { name: 'injected', image: 'proxy' });
  assert.deepEqual(result.metadata.finalizers, ['x', 'y']);
  assert.equal(result.metadata.uid, 'u1');
  assert.deepEqual(result.status, { replicas: 2 });
});

test('apply: the kubectl-last-applied call rewrites only the annotation (P14)', () => {
  const live: any = config('nginx:1');
  live.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":1}' };
  const second = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":1}' } },
  };
  const result: any = apply(live, second, schema, { current: appliedFieldSet(second, schema) });
  assert.deepEqual(result.spec, config('nginx:1').spec);
  assert.equal(result.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], '{"new":1}');
});

test('apply: fields the same manager applied before and dropped now are removed', () => {
  const first: any = config('nginx:1', {
    env: [
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ],
  });
  first.metadata.labels.tier = 'front';
  const live: any = apply(undefined, first, schema);
  live.metadata.labels.owner = 'someone-else';
  const second: any = config('nginx:1', { env: [{ name: 'A', value: '1' }] });
  const result: any = apply(live, second, schema, {
    previous: appliedFieldSet(first, schema),
    current: appliedFieldSet(second, schema),
  });
  assert.deepEqual(result.metadata.labels, { app: 'web', owner: 'someone-else' });
  assert.deepEqual(result.spec.template.spec.containers[0].env, [{ name: 'A', value: '1' }]);
});

test('appliedFieldSet speaks FieldsV1', () => {
  const fields = appliedFieldSet(config('nginx:1'), schema);
  assert.deepEqual(fields['f:metadata'], { 'f:labels': { 'f:app': {} } });
  const containers = (fields['f:spec'] as any)['f:template']['f:spec']['f:containers'];
  assert.deepEqual(Object.keys(containers), ['k:{"name":"nginx"}']);
  assert.deepEqual(containers['k:{"name":"nginx"}']['f:ports'], {
    'k:{"containerPort":80}': { '.': {}, 'f:containerPort': {} },
  });
  assert.deepEqual((fields['f:spec'] as any)['f:selector'], {});
});
