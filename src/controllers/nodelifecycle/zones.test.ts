// The zone counts the node lifecycle controller weighs before tainting NoExecute: kept from informer changes by node
// name (a node seen again counts once), with the node a reconcile has just changed counted as it is now.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import { defaultZoneSettings, ZoneCounts } from './zones.js';

const node = (name: string, ready: string, zone = 'ap-northeast-2a'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    labels: { 'topology.kubernetes.io/region': 'ap-northeast-2', 'topology.kubernetes.io/zone': zone },
  },
  status: { conditions: [{ type: 'Ready', status: ready }] },
});

it('counts each node once by name, follows its changes, and weighs a just-changed node as it is now', () => {
  const zones = new ZoneCounts();
  zones.observe(undefined, node('a', 'True'));
  zones.observe(undefined, node('b', 'True', 'ap-northeast-2b'));
  zones.observe(undefined, node('a', 'True'));
  assert.equal(zones.weigh(defaultZoneSettings).allDisrupted, false);
  zones.observe(node('a', 'True'), node('a', 'Unknown'));
  assert.equal(zones.weigh(defaultZoneSettings).allDisrupted, false, 'zone b still has a Ready node');
  assert.equal(zones.weigh(defaultZoneSettings, node('b', 'Unknown', 'ap-northeast-2b')).allDisrupted, true);
  assert.equal(zones.weigh(defaultZoneSettings).allDisrupted, false, 'weighing changes no count');
  zones.observe(node('b', 'True', 'ap-northeast-2b'), undefined);
  assert.equal(zones.weigh(defaultZoneSettings).allDisrupted, true, 'the only node left is not Ready');
  assert.equal(zones.weigh(defaultZoneSettings).rateOf('anything'), 0);
});
