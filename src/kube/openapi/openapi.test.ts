// OpenAPI v3 documents: what kubectl's fieldValidation verifier and explain templates look up must be there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinResources } from '../resources/builtin.js';
import { describe } from '../server/openapi.js';
import { openApiV3Document, openApiV3Root, type ResourceDescription, serializeOpenApi } from './index.js';

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const deployments: ResourceDescription = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  namespaced: true,
  verbs,
  subresources: ['status', 'scale'],
};
const widgets: ResourceDescription = {
  group: 'example.com',
  version: 'v1',
  resource: 'widgets',
  kind: 'Widget',
  namespaced: true,
  verbs,
  subresources: [],
  custom: true,
  customSchema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } },
};

test('group/version document: patch operation with gvk and fieldValidation, no strategic merge patch', () => {
  const doc: any = openApiV3Document({ group: 'apps', version: 'v1' }, [deployments]);
  const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  assert.ok(item.patch.parameters.some((p: any) => p.name === 'fieldValidation' && p.in === 'query'));
  assert.ok(item.put.parameters.some((p: any) => p.name === 'fieldValidation'));
  assert.ok(!('application/strategic-merge-patch+json' in item.patch.requestBody.content));
  assert.ok('application/apply-patch+yaml' in item.patch.requestBody.content);
  const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  assert.equal(scale.patch['x-kubernetes-group-version-kind'].kind, 'Scale');
  assert.ok(doc.paths['/apis/apps/v1/deployments'].get);
  const schemas = doc.components.schemas;
  const deployment = schemas['io.k8s.api.apps.v1.Deployment'];
  assert.deepEqual(deployment['x-kubernetes-group-version-kind'], [
    { group: 'apps', kind: 'Deployment', version: 'v1' },
  ]);
  assert.deepEqual(deployment.properties.metadata.allOf, [
    { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
  ]);
  assert.ok(schemas['io.k8s.api.core.v1.Container'] && schemas['io.k8s.api.autoscaling.v1.Scale']);
  const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
  for (const ref of refs) {
    const name = ref.slice(8, -1).replace('#/components/schemas/', '');
    assert.ok(ref.includes('#/components/schemas/') && name in schemas, ref);
  }
});

test('core group paths and cluster-scoped resources', () => {
  const nodes: ResourceDescription = {
    group: '',
    version: 'v1',
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    verbs,
    subresources: ['status'],
  };
  const doc: any = openApiV3Document({ group: '', version: 'v1' }, [nodes]);
  assert.equal(doc.paths['/api/v1/nodes/{name}'].get['x-kubernetes-group-version-kind'].group, '');
  assert.ok(doc.components.schemas['io.k8s.api.core.v1.NodeList']);
});

test('custom resources appear with their schema, ObjectMeta and a list kind', () => {
  const doc: any = openApiV3Document({ group: 'example.com', version: 'v1' }, [widgets]);
  const widget = doc.components.schemas['com.example.v1.Widget'];
  assert.deepEqual(widget['x-kubernetes-group-version-kind'], [
    { group: 'example.com', kind: 'Widget', version: 'v1' },
  ]);
  assert.equal(widget.properties.spec.properties.size.type, 'integer');
  assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  assert.ok(doc.components.schemas['com.example.v1.WidgetList']);
  assert.ok(doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'].patch);
});

test('root document and deterministic hashes', () => {
  const a = serializeOpenApi(openApiV3Document({ group: 'apps', version: 'v1' }, [deployments]));
  const b = serializeOpenApi(
    openApiV3Document({ group: 'apps', version: 'v1' }, [{ ...deployments, subresources: ['scale', 'status'] }]),
  );
  assert.equal(a.body, b.body);
  assert.match(a.hash, /^[0-9A-F]{128}$/);
  const root = openApiV3Root([
    { group: 'apps', version: 'v1', hash: a.hash },
    { group: '', version: 'v1', hash: 'X' },
  ]);
  assert.deepEqual(root, {
    paths: {
      'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=X' },
      'apis/apps/v1': { serverRelativeURL: `/openapi/v3/apis/apps/v1?hash=${a.hash}` },
    },
  });
});

test('every built-in group/version has a document: each served kind has a schema', () => {
  const groupVersions = new Set(builtinResources.map((info) => `${info.group}/${info.version}`));
  for (const key of groupVersions) {
    const infos = builtinResources.filter((info) => `${info.group}/${info.version}` === key);
    const gv = { group: infos[0].group, version: infos[0].version };
    assert.doesNotThrow(() => openApiV3Document(gv, infos.map(describe)), key);
  }
});
