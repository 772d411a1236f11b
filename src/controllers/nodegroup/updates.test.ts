// A node group's updates reaching its Nodes through the controller: a ConfigUpdate's labels and taints (added,
// changed, removed; others' left alone) settled Successful once every node follows, and a VersionUpdate's rolling
// replacement that a PodDisruptionBudget holds back until it allows the eviction, and fails (PodEvictionFailure,
// the node kept and uncordoned) when the budget blocks it for 15 minutes without force.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NodegroupInfo } from '../../cloud/facts.js';
import { defaultSubnets, StaticClusterFacts } from '../../cloud/static.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { VpcAddresses } from '../../scheduler/ipam/vpc-addresses.js';
import { until } from '../../testing/until.js';
import { NodegroupController } from './controller.js';
import { amiId } from './node.js';

const region = 'ap-northeast-2';
const nodeRef = { apiVersion: 'v1', kind: 'Node' };
let api: TestApi;
let client: KubeClient;
let facts: StaticClusterFacts;
let controller: NodegroupController;
/** Added to the controller's clock, to pass the 15 minutes EKS gives a blocked eviction. */
let clockOffset = 0;

function group(over: Partial<NodegroupInfo> = {}): NodegroupInfo {
  return {
    name: 'web',
    status: 'ACTIVE',
    desiredSize: 2,
    instanceTypes: ['t3.medium'],
    subnets: ['subnet-0private0a', 'subnet-0private0b'],
    capacityType: 'ON_DEMAND',
    amiType: 'AL2023_x86_64_STANDARD',
    labels: { team: 'web', tier: 'front' },
    taints: [{ key: 'old', value: 'x', effect: 'NoSchedule' }],
    releaseVersion: '1.32.7-20250715',
    version: '1.32',
    ...over,
  };
}

const nodesOf = async () =>
  (await client.list(nodeRef, { labelSelector: 'eks.amazonaws.com/nodegroup=web' })).items as KubeObject[];

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  facts = new StaticClusterFacts('skiff', region);
  await client.create({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: 'skiff-host-h1',
      namespace: 'kube-system',
      labels: { 'skiff.io/component': 'host-agent' },
      annotations: { 'skiff.io/capacity': JSON.stringify({ cpuMillis: 64000, memoryMiB: 262144, sandboxes: 100 }) },
    },
    spec: { holderIdentity: 'h1', leaseDurationSeconds: 3600, renewTime: new Date().toISOString() },
  });
  const ipam = new VpcAddresses(client, defaultSubnets(region));
  controller = new NodegroupController({ client, facts, ipam, now: () => Date.now() + clockOffset });
  await controller.start();
});
after(async () => {
  controller?.stop();
  await api.close();
});

describe('node group updates', () => {
  it('a ConfigUpdate brings every node to the new labels and taints, then is settled', async () => {
    facts.setNodegroups([group()]);
    await until(async () => (await nodesOf()).length === 2, 'two nodes');
    const [first] = await nodesOf();
    await client.patch(nodeRef, first.metadata.name!, { metadata: { labels: { mine: 'kept' } } }, 'merge');

    facts.setNodegroups([
      group({
        status: 'UPDATING',
        labels: { team: 'api', added: 'yes' },
        taints: [{ key: 'new', effect: 'NoExecute' }],
        update: { id: 'u1', type: 'ConfigUpdate', maxUnavailable: 1, force: false },
      }),
    ]);
    await until(() => facts.settled.some((s) => s.updateId === 'u1'), 'the update settled');
    assert.deepEqual(facts.settled[0].outcome, { status: 'Successful' });
    for (const node of await nodesOf()) {
      const labels = node.metadata.labels!;
      assert.equal(labels.team, 'api');
      assert.equal(labels.added, 'yes');
      assert.equal(labels.tier, undefined, 'a removed label goes');
      assert.deepEqual(node.spec.taints, [{ key: 'new', effect: 'NoExecute' }]);
      if (node.metadata.name === first.metadata.name) assert.equal(labels.mine, 'kept', "a user's label stays");
    }
    assert.equal((await facts.nodegroups())[0].status, 'ACTIVE');
  });

  it('a VersionUpdate replaces every node, held back while a disruption budget allows no eviction', async () => {
    const old = await nodesOf();
    const target = old[0];
    const pod = await client.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'guarded', namespace: 'default', labels: { app: 'guarded' } },
      spec: {
        nodeName: target.metadata.name,
        terminationGracePeriodSeconds: 0,
        containers: [{ name: 'c', image: 'x' }],
      },
    });
    await client.update(
      {
        ...pod,
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString() }],
        },
      },
      { subresource: 'status' },
    );
    const pdb: KubeObject = await client.create<KubeObject>({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'guard', namespace: 'default' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } },
    });
    const blocked = {
      observedGeneration: pdb.metadata.generation,
      disruptionsAllowed: 0,
      currentHealthy: 1,
      desiredHealthy: 1,
      expectedPods: 1,
    };
    await client.update({ ...pdb, status: blocked }, { subresource: 'status' });

    const release = '1.32.9-20251120';
    facts.setNodegroups([
      group({
        status: 'UPDATING',
        labels: { team: 'api', added: 'yes' },
        taints: [{ key: 'new', effect: 'NoExecute' }],
        releaseVersion: release,
        update: { id: 'u2', type: 'VersionUpdate', maxUnavailable: 1, force: false },
      }),
    ]);
    const image = amiId(region, 'AL2023_x86_64_STANDARD', release);
    // Everything but the guarded node is replaced; it stays, cordoned, while the budget refuses.
    await until(
      async () => {
        const nodes = await nodesOf();
        const fresh = nodes.filter((n) => n.metadata.labels!['eks.amazonaws.com/nodegroup-image'] === image);
        return fresh.length === 2 && nodes.some((n) => n.metadata.name === target.metadata.name) && nodes;
      },
      'two new nodes beside the guarded old one',
      20_000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(
      (await nodesOf()).some((n) => n.metadata.name === target.metadata.name),
      'the budget holds the node',
    );
    assert.ok(!facts.settled.some((s) => s.updateId === 'u2'));
    const cordoned = await client.get(nodeRef, target.metadata.name!);
    assert.equal(cordoned.spec.unschedulable, true);

    const current = await client.get(
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: 'default' },
      'guard',
    );
    await client.update({ ...current, status: { ...blocked, disruptionsAllowed: 1 } }, { subresource: 'status' });
    await until(() => facts.settled.some((s) => s.updateId === 'u2'), 'the version update settled', 30_000);
    const nodes = await nodesOf();
    assert.equal(nodes.length, 2);
    for (const node of nodes) {
      assert.equal(node.metadata.labels!['eks.amazonaws.com/nodegroup-image'], image);
      assert.match(node.status.nodeInfo.kubeletVersion, /^v1\.32\.9-eks-[0-9a-f]{7}$/);
    }
  });

  it('without force, a budget blocking eviction for 15 minutes fails the version update', async () => {
    const [target] = await nodesOf();
    const pod = await client.create<KubeObject>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'guarded-2', namespace: 'default', labels: { app: 'guarded' } },
      spec: {
        nodeName: target.metadata.name,
        terminationGracePeriodSeconds: 0,
        containers: [{ name: 'c', image: 'x' }],
      },
    });
    const ready = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString() }],
    };
    await client.update({ ...pod, status: ready }, { subresource: 'status' });
    const pdbRef = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: 'default' };
    const pdb = await client.get<KubeObject>(pdbRef, 'guard');
    await client.update(
      {
        ...pdb,
        status: {
          observedGeneration: pdb.metadata.generation,
          disruptionsAllowed: 0,
          currentHealthy: 1,
          desiredHealthy: 1,
          expectedPods: 1,
        },
      },
      { subresource: 'status' },
    );
    facts.setNodegroups([
      group({
        status: 'UPDATING',
        labels: { team: 'api', added: 'yes' },
        taints: [{ key: 'new', effect: 'NoExecute' }],
        releaseVersion: '1.32.7-20250715',
        update: { id: 'u3', type: 'VersionUpdate', maxUnavailable: 1, force: false },
      }),
    ]);
    await until(
      async () => (await client.get<any>(nodeRef, target.metadata.name!)).spec.unschedulable === true,
      'the drain to begin',
      20_000,
    );
    clockOffset = 16 * 60 * 1000;
    await until(() => facts.settled.some((s) => s.updateId === 'u3'), 'the update to fail', 30_000);
    const { outcome } = facts.settled.find((s) => s.updateId === 'u3')!;
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.errors?.[0].errorCode, 'PodEvictionFailure');
    assert.equal(
      outcome.errors?.[0].errorMessage,
      'Reached max retries while trying to evict pods from nodes in node group web',
    );
    const kept = await client.get<any>(nodeRef, target.metadata.name!);
    assert.equal(kept.spec.unschedulable, undefined, 'uncordoned');
    // The guarded pod is still there.
    await client.get({ apiVersion: 'v1', kind: 'Pod', namespace: 'default' }, 'guarded-2');
  });
});
