// Encoding: kubectl's JSON re-encodes to exactly the bytes kubectl sent, and richer objects survive a round trip.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { KubeObject } from '../api/types.js';
import { decodeProtobufObject } from './decode.js';
import { encodeProtobufObject } from './encode.js';

const testdata = new URL('./testdata/', import.meta.url);
for (const file of readdirSync(testdata).filter((f) => f.endsWith('.pb'))) {
  test(`kubectl ${file.replace('.pb', '')}: JSON encodes to the bytes kubectl sent`, () => {
    const json = JSON.parse(readFileSync(new URL(file.replace('.pb', '.json'), testdata), 'utf8'));
    assert.ok(encodeProtobufObject(json).equals(readFileSync(new URL(file, testdata))));
  });
}

const deployment: KubeObject = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: {
    name: 'web',
    namespace: 'team-a',
    uid: '6f1c',
    resourceVersion: '42',
    generation: 3,
    creationTimestamp: '2026-11-22T11:55:00Z',
    deletionTimestamp: '2026-11-22T12:00:00Z',
    deletionGracePeriodSeconds: 0,
    labels: { app: 'web' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    ownerReferences: [{ apiVersion: 'v1', kind: 'Thing', name: 't', uid: 'u', controller: true }],
    finalizers: ['example.com/f'],
  },
  spec: {
    replicas: 0,
    selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
    template: {
      metadata: { creationTimestamp: null, labels: { app: 'web' } },
      spec: {
        volumes: [
          { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a.txt' }], defaultMode: 420 } },
          { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        ],
        containers: [
          {
            name: 'nginx',
            image: 'nginx:1.27',
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            envFrom: [{ secretRef: { name: 's', optional: false } }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'b' } } },
            ],
            resources: { limits: { memory: '512Mi' }, requests: { cpu: '250m', memory: '0.5Gi' } },
            volumeMounts: [{ name: 'cfg', readOnly: true, mountPath: '/etc/cfg' }],
            imagePullPolicy: 'IfNotPresent',
          },
        ],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [
          { key: 'eks.amazonaws.com/compute-type', operator: 'Equal', value: 'fargate', effect: 'NoSchedule' },
        ],
      },
    },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
    revisionHistoryLimit: 10,
  },
  status: { observedGeneration: 3, replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1 },
};

test('a rich deployment survives encode → decode unchanged', () => {
  assert.deepEqual(decodeProtobufObject(encodeProtobufObject(deployment)), deployment);
});

test('a load balancer service with status survives encode → decode unchanged', () => {
  const svc: KubeObject = {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: { name: 'lb', creationTimestamp: null as unknown as string },
    spec: {
      ports: [{ port: 443, targetPort: 'https', nodePort: 30443, protocol: 'TCP' }],
      clusterIP: '172.20.0.9',
      clusterIPs: ['172.20.0.9'],
      type: 'LoadBalancer',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: { ingress: [{ hostname: 'abc.elb.amazonaws.com' }] } },
  };
  assert.deepEqual(decodeProtobufObject(encodeProtobufObject(svc)), svc);
});

test('kinds without a schema are refused', () => {
  assert.throws(
    () => encodeProtobufObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }),
    /v1 Pod is not supported/,
  );
});
