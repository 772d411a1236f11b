// Tests for the schema package: kind lookup, walking, patch metadata and unknown-field findings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  customResourceSchema,
  patchMetaAt,
  resolve,
  schemaAt,
  schemaForKind,
  strictDecodingMessage,
  unknownFields,
  unknownFieldsIn,
} from './index.js';

test('every served kind has a schema with its gvk', () => {
  const kinds: [string, string, string][] = [
    ['', 'v1', 'Pod'],
    ['', 'v1', 'Namespace'],
    ['', 'v1', 'Event'],
    ['events.k8s.io', 'v1', 'Event'],
    ['apps', 'v1', 'Deployment'],
    ['apps', 'v1', 'DeploymentList'],
    ['batch', 'v1', 'CronJob'],
    ['coordination.k8s.io', 'v1', 'Lease'],
    ['policy', 'v1', 'Eviction'],
    ['autoscaling', 'v1', 'Scale'],
    ['autoscaling', 'v2', 'HorizontalPodAutoscaler'],
    ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'],
    ['admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration'],
    ['', 'v1', 'DeleteOptions'],
  ];
  for (const [group, version, kind] of kinds) {
    const schema = schemaForKind(group, version, kind);
    assert.ok(schema, `${group}/${version} ${kind}`);
    assert.ok(schema['x-kubernetes-group-version-kind']?.some((g) => g.kind === kind && g.group === group));
  }
  assert.equal(schemaForKind('example.com', 'v1', 'Widget'), undefined);
});

test('walks through refs to fields, map values and list items', () => {
  const deployment = schemaForKind('apps', 'v1', 'Deployment');
  const image = schemaAt(deployment, ['spec', 'template', 'spec', 'containers', 0, 'image']);
  assert.equal(image?.type, 'string');
  const label = schemaAt(deployment, ['metadata', 'labels', 'app']);
  assert.equal(label?.type, 'string');
  assert.match(resolve(schemaAt(deployment, ['spec', 'strategy']))?.description ?? '', /DeploymentStrategy/);
  assert.equal(schemaAt(deployment, ['spec', 'nope']), undefined);
});

test('patch metadata of well-known fields', () => {
  const pod = schemaForKind('', 'v1', 'Pod');
  assert.deepEqual(patchMetaAt(pod, ['spec', 'containers']), {
    patchStrategies: ['merge'],
    patchMergeKey: 'name',
    listType: 'map',
    listMapKeys: ['name'],
  });
  const ports = patchMetaAt(pod, ['spec', 'containers', 0, 'ports']);
  assert.equal(ports.patchMergeKey, 'containerPort');
  assert.deepEqual(ports.listMapKeys, ['containerPort', 'protocol']);
  assert.deepEqual(patchMetaAt(pod, ['metadata', 'finalizers']).patchStrategies, ['merge']);
  assert.equal(patchMetaAt(pod, ['spec', 'tolerations']).listType, 'atomic');
  const deployment = schemaForKind('apps', 'v1', 'Deployment');
  assert.deepEqual(patchMetaAt(deployment, ['spec', 'strategy']).patchStrategies, ['retainKeys']);
  assert.equal(patchMetaAt(deployment, ['spec', 'selector']).mapType, 'atomic');
});

test('unknown fields are reported with kube-apiserver paths', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, creationTimestamp: null, bogus: 1 },
    spec: {
      replicas: 2,
      foo: true,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'a', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } },
            { name: 'b', image: 'nginx', restartPolcy: 'Always', env: [{ name: 'X', value: '1', secret: 'y' }] },
          ],
        },
      },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    },
    status: { whatever: true },
  };
  const found = unknownFields('apps', 'v1', 'Deployment', deployment);
  assert.deepEqual(found, [
    'unknown field "metadata.bogus"',
    'unknown field "spec.foo"',
    'unknown field "spec.template.spec.containers[1].restartPolcy"',
    'unknown field "spec.template.spec.containers[1].env[0].secret"',
  ]);
  assert.equal(
    strictDecodingMessage('Deployment', 'v1', found.slice(1, 2)),
    'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"',
  );
  assert.deepEqual(unknownFields('', 'v1', 'ConfigMap', { data: { a: 'b' }, binaryData: {}, extra: 1 }), [
    'unknown field "extra"',
  ]);
  assert.deepEqual(unknownFields('example.com', 'v1', 'Widget', { anything: 1 }), []);
});

test('managedFields, raw extensions and CRD schemas tolerate free-form content', () => {
  const cm = { metadata: { managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:data': { 'f:a': {} } } }] } };
  assert.deepEqual(unknownFields('', 'v1', 'ConfigMap', cm), []);
  const crd = {
    spec: {
      group: 'example.com',
      versions: [
        {
          name: 'v1',
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          },
        },
      ],
      names: { plural: 'widgets', kind: 'Widget' },
      scope: 'Namespaced',
    },
  };
  assert.deepEqual(unknownFields('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', crd), []);
});

test('custom resource schemas: declared, preserved and int-or-string fields', () => {
  const schema = customResourceSchema('example.com', 'v1', 'Widget', {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          size: { 'x-kubernetes-int-or-string': true },
          config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          tags: { type: 'object', additionalProperties: { type: 'string' } },
          items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
        },
      },
    },
  });
  const widget = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'default', nme: 'typo' },
    spec: { size: '10%', config: { deep: { x: 1 } }, tags: { a: 'b' }, items: [{ name: 'x', color: 'red' }], extra: 1 },
  };
  assert.deepEqual(unknownFieldsIn(schema, widget), [
    'unknown field "metadata.nme"',
    'unknown field "spec.items[0].color"',
    'unknown field "spec.extra"',
  ]);
  assert.deepEqual(unknownFieldsIn(customResourceSchema('example.com', 'v1', 'Widget', undefined), widget), [
    'unknown field "metadata.nme"',
  ]);
});
