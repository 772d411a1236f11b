// NodeHeartbeats against the kube API (memory store): a node's first beats make its Lease and post its kubelet
// conditions; a beat that would change nothing (the node's status already says it, this second) makes no request.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeObject } from '../kube/api/types.js';
import { createApiContext, inProcessClient } from '../kube/index.js';
import { recordingClient } from '../kube/testing/recording-client.js';
import { openStore } from '../store/index.js';
import { until } from '../testing/until.js';
import { apiTime } from './clock.js';
import { heartbeatConditions, NodeHeartbeats } from './node-heartbeat.js';

let client: ReturnType<typeof inProcessClient>;
const nodes = { apiVersion: 'v1', kind: 'Node' };
const leases = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'kube-node-lease' };
const patches: string[] = [];
const beats: NodeHeartbeats[] = [];

before(async () => {
  client = inProcessClient(await createApiContext(await openStore({ kind: 'memory' })));
});
after(() => {
  for (const heartbeats of beats) heartbeats.stop();
});

/** Heartbeats that read nodes from the API's answers here, with the client's patches recorded by node name. */
function heartbeatsFor(current: Map<string, KubeObject>): NodeHeartbeats {
  const recording = recordingClient(client, (verb, [, name]) => {
    if (verb === 'patch') patches.push(name as string);
  });
  const intervals = { nodeLeaseRenewMs: 60_000, nodeStatusMs: 60_000 };
  const heartbeats = new NodeHeartbeats(recording, intervals, (name) => current.get(name), assert.ifError);
  beats.push(heartbeats);
  return heartbeats;
}

const leaseMade = (name: string) =>
  until(
    () =>
      client.get(leases, name).then(
        () => true,
        () => false,
      ),
    `Lease ${name} made`,
  );

async function node(name: string, conditions: unknown[]): Promise<KubeObject> {
  const created = await client.create<KubeObject>({ ...nodes, metadata: { name } });
  return client
    .patch<KubeObject>(
      nodes,
      name,
      { status: { conditions, daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } } },
      'merge',
      {
        subresource: 'status',
      },
    )
    .then((patched) => ({ ...patched, metadata: { ...patched.metadata, uid: created.metadata.uid } }));
}

test("a node's first beats make its Lease and make it Ready", async () => {
  const notReady = heartbeatConditions().map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
  const current = new Map([['stale', await node('stale', notReady)]]);
  heartbeatsFor(current).add(current.get('stale')!);
  await until(
    async () =>
      (await client.get(nodes, 'stale')).status.conditions.find((c: any) => c.type === 'Ready').status === 'True',
    'Ready',
  );
  assert.ok(patches.includes('stale'));
  await leaseMade('stale');
});

test('a beat that would change nothing makes no request', async () => {
  // Early in a second, so that the beat falls in the same one as the status written here.
  await until(() => new Date().getMilliseconds() < 500, 'early in a second');
  const current = new Map([['fresh', await node('fresh', heartbeatConditions([], apiTime()))]]);
  heartbeatsFor(current).add(current.get('fresh')!);
  await leaseMade('fresh');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(patches.includes('fresh'), false);
});
