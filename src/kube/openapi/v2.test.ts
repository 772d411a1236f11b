// OpenAPI v2 (/openapi/v2) as kubectl before 1.30 reads it: v2 refs and body parameters, and the protobuf bytes
// decoding as gnostic's Document with the group-version-kind and patch extensions kubectl looks up.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import type { ResourceDescription } from './types.js';
import { openApiV2Document } from './v2.js';
import { openApiV2Protobuf } from './v2-protobuf.js';

const deployments: ResourceDescription = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  namespaced: true,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['status', 'scale'],
};
const document = openApiV2Document([{ group: 'apps', version: 'v1' }], [deployments], 'v1.32.9');

test('v2 document: #/definitions refs, $ref with its siblings, body parameters, produces', () => {
  const deployment = document.definitions['io.k8s.api.apps.v1.Deployment'];
  assert.equal(deployment.properties.metadata.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.equal(deployment.properties.metadata.allOf, undefined);
  assert.deepEqual(deployment['x-kubernetes-group-version-kind'], [
    { group: 'apps', kind: 'Deployment', version: 'v1' },
  ]);
  const put = document.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].put;
  assert.equal(put.parameters[0].in, 'body');
  assert.equal(put.parameters[0].schema.$ref, '#/definitions/io.k8s.api.apps.v1.Deployment');
  assert.ok(put.produces.includes('application/json'));
  assert.equal(put.responses['200'].schema.$ref, '#/definitions/io.k8s.api.apps.v1.Deployment');
  assert.ok(!JSON.stringify(document).includes('#/components/'));
});

test('v2 protobuf decodes as gnostic openapi.v2.Document', () => {
  const text = readFileSync(new URL('./openapiv2.proto', import.meta.url), 'utf8');
  const root = protobuf.parse(text, { keepCase: true }).root;
  const decoded: any = root
    .lookupType('openapi.v2.Document')
    .toObject(root.lookupType('openapi.v2.Document').decode(openApiV2Protobuf(document)));
  assert.equal(decoded.swagger, '2.0');
  assert.equal(decoded.info.version, 'v1.32.9');
  const named = decoded.definitions.additional_properties.find((d: any) => d.name === 'io.k8s.api.apps.v1.Deployment');
  const gvk = named.value.vendor_extension.find((e: any) => e.name === 'x-kubernetes-group-version-kind');
  assert.deepEqual(JSON.parse(gvk.value.yaml), [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  const spec = decoded.definitions.additional_properties.find((d: any) => d.name === 'io.k8s.api.core.v1.PodSpec');
  const containers = spec.value.properties.additional_properties.find((p: any) => p.name === 'containers').value;
  const strategy = containers.vendor_extension.find((e: any) => e.name === 'x-kubernetes-patch-strategy');
  assert.equal(JSON.parse(strategy.value.yaml), 'merge');
  assert.deepEqual(containers.type.value, ['array']);
  assert.ok(decoded.paths.path.some((p: any) => p.name === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}'));
});
