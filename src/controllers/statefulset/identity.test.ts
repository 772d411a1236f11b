// A StatefulSet pod's identity as pure rules: ordinals from names, ordinals.start, PVC names and labels, the
// volumes a pod gets, and which revision a new pod takes under a partition.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import {
  claimsFor,
  identityMatches,
  inOrdinalRange,
  newStatefulSetPod,
  newVersionedPod,
  parentAndOrdinal,
  storageMatches,
} from './identity.js';

function set(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'prod', uid: 'u1' },
    spec: {
      replicas: 3,
      serviceName: 'db-headless',
      selector: { matchLabels: { app: 'db' } },
      template: {
        metadata: { labels: { app: 'db' } },
        spec: { containers: [{ name: 'c' }], volumes: [{ name: 'config', configMap: { name: 'cfg' } }] },
      },
      volumeClaimTemplates: [
        { metadata: { name: 'data', labels: { tier: 'storage' } }, spec: { accessModes: ['ReadWriteOnce'] } },
      ],
      ...spec,
    },
  };
}

const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name } });

it('reads parent and ordinal from the name', () => {
  assert.deepEqual(parentAndOrdinal(pod('web-app-12')), { parent: 'web-app', ordinal: 12 });
  assert.deepEqual(parentAndOrdinal(pod('web')), { parent: '', ordinal: -1 });
});

it('counts ordinals from spec.ordinals.start', () => {
  const shifted = set({ ordinals: { start: 5 } });
  assert.equal(inOrdinalRange(pod('db-4'), shifted), false);
  assert.equal(inOrdinalRange(pod('db-5'), shifted), true);
  assert.equal(inOrdinalRange(pod('db-7'), shifted), true);
  assert.equal(inOrdinalRange(pod('db-8'), shifted), false);
});

it('names claims <template>-<set>-<ordinal> with the selector labels added', () => {
  const claim = claimsFor(set(), 2).get('data')!;
  assert.equal(claim.metadata.name, 'data-db-2');
  assert.equal(claim.metadata.namespace, 'prod');
  assert.deepEqual(claim.metadata.labels, { tier: 'storage', app: 'db' });
  assert.equal(claim.kind, 'PersistentVolumeClaim');
});

it('builds a pod with its identity and storage, keeping other volumes', () => {
  const p = newStatefulSetPod(set(), 1);
  assert.equal(p.metadata.name, 'db-1');
  assert.equal(p.metadata.generateName, undefined);
  assert.equal(p.spec.hostname, 'db-1');
  assert.equal(p.spec.subdomain, 'db-headless');
  assert.deepEqual(p.spec.volumes, [
    { name: 'data', persistentVolumeClaim: { claimName: 'data-db-1' } },
    { name: 'config', configMap: { name: 'cfg' } },
  ]);
  assert.ok(identityMatches(set(), p));
  assert.ok(storageMatches(set(), p));
  p.metadata.labels!['statefulset.kubernetes.io/pod-name'] = 'other';
  assert.equal(identityMatches(set(), p), false);
});

it('gives ordinals below the partition the current revision', () => {
  const current = set({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
  const update = structuredClone(current);
  update.spec.template.spec.containers[0].image = 'new';
  const revisions = [0, 1, 2].map(
    (i) => newVersionedPod(current, update, 'db-old', 'db-new', i).metadata.labels!['controller-revision-hash'],
  );
  assert.deepEqual(revisions, ['db-old', 'db-old', 'db-new']);
  const onDelete = set({ updateStrategy: { type: 'OnDelete' } });
  assert.equal(
    newVersionedPod(onDelete, update, 'db-old', 'db-new', 0).metadata.labels!['controller-revision-hash'],
    'db-new',
  );
});
