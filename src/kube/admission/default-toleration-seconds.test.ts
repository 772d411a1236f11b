// DefaultTolerationSeconds through the in-process API: the two 300 s tolerations added to a pod that lacks them,
// kept out when a toleration already covers the taint (by key, by empty key, by empty effect), pods' own seconds kept.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeClient } from '../client/types.js';
import { inProcessClient } from '../index.js';
import { startTestApi, type TestApi } from '../testing/api.js';

let api: TestApi;
let client: KubeClient;
before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
});
after(() => api.close());

const pod = (name: string, tolerations?: unknown[]) =>
  client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) },
  });

const notReady = {
  key: 'node.kubernetes.io/not-ready',
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: 300,
};
const unreachable = { ...notReady, key: 'node.kubernetes.io/unreachable' };

it('adds both tolerations to a pod without them', async () => {
  assert.deepEqual((await pod('plain')).spec.tolerations, [notReady, unreachable]);
});

it('keeps a pod’s own toleration of a taint and adds only the other', async () => {
  const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 6 };
  assert.deepEqual((await pod('own', [own])).spec.tolerations, [own, notReady]);
});

it('adds nothing when a toleration with no key, or no effect, covers both', async () => {
  const all = { operator: 'Exists' };
  assert.deepEqual((await pod('all', [all])).spec.tolerations, [all]);
  const anyEffect = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists' },
  ];
  assert.deepEqual((await pod('any-effect', anyEffect)).spec.tolerations, anyEffect);
});

it('a NoSchedule toleration of the key does not count', async () => {
  const noSchedule = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' };
  assert.deepEqual((await pod('no-schedule', [noSchedule])).spec.tolerations, [noSchedule, notReady, unreachable]);
});
