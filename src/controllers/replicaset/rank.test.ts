// The deletion ranking as a table: each case names two pods and which one Kubernetes deletes first.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { podsToDelete } from './rank.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

function pod(
  uid: string,
  o: { node?: string; phase?: string; readyAgo?: number; restarts?: number; createdAgo?: number; cost?: string } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: uid,
      uid,
      creationTimestamp: ago(o.createdAgo ?? 3600),
      ...(o.cost ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}),
    },
    spec: { nodeName: o.node ?? `n-${uid}` },
    status: {
      phase: o.phase ?? 'Running',
      conditions:
        o.readyAgo === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: ago(o.readyAgo) }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }],
    },
  };
}

const cases: [string, KubeObject, KubeObject][] = [
  ['unscheduled before scheduled', pod('a', { node: '', readyAgo: 10 }), pod('b', { phase: 'Pending' })],
  ['Pending before Unknown', pod('a', { phase: 'Pending' }), pod('b', { phase: 'Unknown' })],
  ['Unknown before Running', pod('a', { phase: 'Unknown' }), pod('b', { phase: 'Running' })],
  ['not ready before ready', pod('a', { restarts: 0 }), pod('b', { readyAgo: 10, restarts: 9 })],
  ['lower deletion cost first', pod('a', { readyAgo: 9000, cost: '-5' }), pod('b', { readyAgo: 1 })],
  ['ready more recently first', pod('z', { readyAgo: 10 }), pod('b', { readyAgo: 1000 })],
  ['more restarts first', pod('z', { readyAgo: 100, restarts: 3 }), pod('b', { readyAgo: 100, restarts: 1 })],
  ['same ready-age bucket: lower UID first', pod('a', { readyAgo: 100 }), pod('z', { readyAgo: 101, restarts: 3 })],
  ['newer first', pod('z', { createdAgo: 60 }), pod('b', { createdAgo: 6000 })],
  ['same age bucket: lower UID first', pod('a', { createdAgo: 100 }), pod('b', { createdAgo: 101 })],
];

for (const [name, first, second] of cases) {
  it(name, () => {
    assert.equal(podsToDelete([second, first], 1, now)[0], first);
    assert.equal(podsToDelete([first, second], 1, now)[0], first);
  });
}

it('deletes from the node with most pods of the set first', () => {
  const crowded = [pod('x', { node: 'n1' }), pod('y', { node: 'n1' })];
  const alone = pod('a', { node: 'n2', createdAgo: 1 });
  const chosen = podsToDelete([alone, ...crowded], 1, now)[0];
  assert.ok(crowded.includes(chosen));
});

it('returns every pod when asked for as many or more', () => {
  assert.equal(podsToDelete([pod('a'), pod('b')], 5, now).length, 2);
});
