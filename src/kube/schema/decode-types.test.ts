// The decode type check: kube-apiserver's encoding/json messages for values of the wrong JSON type.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { objectMetaName } from './crd.js';
import { decodeTypeError, decodeTypeMessage } from './decode-types.js';
import { definitionNameForKind, definitions } from './load.js';

function messageFor(group: string, version: string, kind: string, object: unknown): string | undefined {
  const name = definitionNameForKind(group, version, kind)!;
  const found = decodeTypeError(name, definitions()[name], object);
  return found && decodeTypeMessage(found);
}

test('a well-typed object has no decode error', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, ownerReferences: [] },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: 1 } } },
          ],
        },
      },
      unknownField: ['kept for fieldValidation'],
    },
    status: null,
  };
  assert.equal(messageFor('apps', 'v1', 'Deployment', deployment), undefined);
});

test('values of the wrong type are named as encoding/json names them', () => {
  const cases: [string, string, string, unknown, string][] = [
    [
      '',
      'v1',
      'ConfigMap',
      { data: ['a'] },
      'json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string',
    ],
    [
      '',
      'v1',
      'ConfigMap',
      { data: { a: 1 } },
      'json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
    ],
    [
      '',
      'v1',
      'ConfigMap',
      { metadata: { name: ['x'] } },
      'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.name of type string',
    ],
    [
      '',
      'v1',
      'ConfigMap',
      { metadata: { managedFields: 'x' } },
      'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.managedFields of type []v1.ManagedFieldsEntry',
    ],
    [
      '',
      'v1',
      'Service',
      { spec: [] },
      'json: cannot unmarshal array into Go struct field Service.spec of type v1.ServiceSpec',
    ],
    [
      'apps',
      'v1',
      'Deployment',
      { spec: { replicas: 1.5 } },
      'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      'apps',
      'v1',
      'Deployment',
      { spec: { replicas: 2 ** 31 } },
      'json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      '',
      'v1',
      'Pod',
      { spec: { containers: [{ name: 'a', ports: [{ containerPort: '80' }] }] } },
      'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    ],
    [
      '',
      'v1',
      'Pod',
      { spec: { containers: [{ name: 'a', resources: { limits: { cpu: true } } }] } },
      'json: cannot unmarshal bool into Go struct field ResourceRequirements.spec.containers.resources.limits of type resource.Quantity',
    ],
    [
      '',
      'v1',
      'Secret',
      { data: { a: 5 } },
      'json: cannot unmarshal number into Go struct field Secret.data of type []uint8',
    ],
  ];
  for (const [group, version, kind, object, message] of cases) {
    assert.equal(messageFor(group, version, kind, object), message, JSON.stringify(object));
  }
});

test('an ObjectMeta checked alone names its place in the parent', () => {
  const found = decodeTypeError(objectMetaName, definitions()[objectMetaName], { ownerReferences: {} }, ['metadata']);
  assert.equal(
    found && decodeTypeMessage(found),
    'json: cannot unmarshal object into Go struct field ObjectMeta.metadata.ownerReferences of type []v1.OwnerReference',
  );
  const whole = decodeTypeError(objectMetaName, definitions()[objectMetaName], 'x', ['metadata']);
  assert.equal(
    whole && decodeTypeMessage(whole),
    'json: cannot unmarshal string into Go struct field ObjectMeta.metadata of type v1.ObjectMeta',
  );
});
