// Defaults the API server fills in on create, as Kubernetes does: container and probe defaults in pods and pod
// templates, and requests copied from limits in pods only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import { createApiContext, inProcessClient } from '../index.js';
import { secretStrategy } from './secret.js';

let store: Backend;
let client: ReturnType<typeof inProcessClient>;
before(async () => {
  store = await openStore({ kind: 'memory' });
  client = inProcessClient(await createApiContext(store));
});
after(() => store.close());

const container = {
  name: 'web',
  image: 'nginx:1.27',
  ports: [{ containerPort: 80 }],
  resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '250m' } },
  readinessProbe: { httpGet: { port: 80 } },
  livenessProbe: { exec: { command: ['true'] }, periodSeconds: 5 },
};

test('a pod: probe and port defaults, and requests from limits where none are given', async () => {
  const pod: any = await client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'defaults', namespace: 'default' },
    spec: { containers: [structuredClone(container)] },
  });
  const c = pod.spec.containers[0];
  assert.deepEqual(c.readinessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.equal(c.livenessProbe.periodSeconds, 5);
  assert.equal(c.ports[0].protocol, 'TCP');
  assert.deepEqual(c.resources.requests, { cpu: '250m', memory: '512Mi' });
  assert.equal(c.imagePullPolicy, 'IfNotPresent');
});

test('a pod template: the same container defaults, but requests are left as written', async () => {
  const deployment: any = await client.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'defaults', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [structuredClone(container)] } },
    },
  });
  const c = deployment.spec.template.spec.containers[0];
  assert.equal(c.readinessProbe.timeoutSeconds, 1);
  assert.equal(c.ports[0].protocol, 'TCP');
  assert.deepEqual(c.resources.requests, { cpu: '250m' });
});

test('Secret stringData is merged into data and not stored; type defaults to Opaque', () => {
  const secret: any = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: { a: 'eA==', b: 'eQ==' },
    stringData: { b: 'two', c: 'three' },
  };
  secretStrategy.prepareForCreate!(secret);
  assert.deepEqual(secret.data, { a: 'eA==', b: 'dHdv', c: 'dGhyZWU=' });
  assert.equal(secret.stringData, undefined);
  assert.equal(secret.type, 'Opaque');
});

test('pod specs and workload templates are refused with kube-apiserver field causes', async () => {
  const { validatePodSpec } = await import('./pod-spec.js');
  const messages = (spec: unknown, path: string, policies?: readonly string[]) =>
    validatePodSpec(spec, path, policies).map((c) => `${c.field}: ${c.message}`);
  assert.deepEqual(messages({ containers: [] }, 'spec'), ['spec.containers: Required value']);
  assert.deepEqual(
    messages(
      {
        restartPolicy: 'Never',
        containers: [
          { name: 'a', image: 'x', ports: [{ containerPort: 0 }, { containerPort: 80, protocol: 'HTTP' }] },
          { name: 'a' },
        ],
      },
      'spec.template.spec',
      ['Always'],
    ),
    [
      'spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.template.spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.template.spec.containers[1].name: Duplicate value: "a"',
      'spec.template.spec.containers[1].image: Required value',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ],
  );
});

test('a pod update may change images but nothing else of the spec', async () => {
  const { forbiddenPodSpecChange } = await import('./pod-update.js');
  const old = {
    containers: [{ name: 'c', image: 'a', command: ['sleep'] }],
    tolerations: [{ key: 'k', operator: 'Exists' }],
  };
  assert.equal(
    forbiddenPodSpecChange({ ...old, containers: [{ name: 'c', image: 'b', command: ['sleep'] }] }, old),
    undefined,
  );
  assert.equal(
    forbiddenPodSpecChange({ ...old, tolerations: [...old.tolerations, { key: 'n', operator: 'Exists' }] }, old),
    undefined,
  );
  const refused = forbiddenPodSpecChange({ ...old, containers: [{ name: 'c', image: 'a', command: ['true'] }] }, old);
  assert.equal(refused?.field, 'spec');
  assert.match(
    refused?.message ?? '',
    /^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/,
  );
  assert.ok(forbiddenPodSpecChange({ ...old, tolerations: [] }, old));
});
