// The node-group controller against the real in-process API: desiredSize nodes with EKS names, labels and IPs on a
// live host, waiting for a host, scale-in that drains, deletion of the group, and IPs of existing nodes kept.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { NodegroupInfo } from '../../cloud/facts.js';
import { defaultSubnets, StaticClusterFacts } from '../../cloud/static.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { VpcAddresses } from '../../scheduler/ipam/vpc-addresses.js';
import { nodeIps } from '../../scheduler/ipam/vpc-ipam.js';
import { until } from '../../testing/until.js';
import { NodegroupController } from './controller.js';

const region = 'ap-northeast-2';
const nodeRef = { apiVersion: 'v1', kind: 'Node' };
const leaseRef = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'kube-system' };
let api: TestApi;
let client: KubeClient;
let facts: StaticClusterFacts;
let ipam: VpcAddresses;
let controller: NodegroupController;
const errors: unknown[] = [];

function nodegroup(over: Partial<NodegroupInfo> = {}): NodegroupInfo {
  return {
    name: 'workers',
    status: 'ACTIVE',
    desiredSize: 2,
    instanceTypes: ['t3.medium'],
    subnets: ['subnet-0private0a', 'subnet-0private0b'],
    capacityType: 'ON_DEMAND',
    amiType: 'AL2023_x86_64_STANDARD',
    labels: { team: 'web' },
    taints: [],
    releaseVersion: '1.32.9-20251120',
    ...over,
  };
}

async function putHost(name: string, renewTime = new Date().toISOString()) {
  const lease = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: `skiff-host-${name}`,
      namespace: 'kube-system',
      labels: { 'skiff.io/component': 'host-agent' },
      annotations: { 'skiff.io/capacity': JSON.stringify({ cpuMillis: 64000, memoryMiB: 262144, sandboxes: 100 }) },
    },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime },
  };
  try {
    const old = await client.get(leaseRef, lease.metadata.name);
    await client.update({ ...lease, metadata: { ...lease.metadata, resourceVersion: old.metadata.resourceVersion } });
  } catch {
    await client.create(lease);
  }
}

async function nodesOf(group: string): Promise<KubeObject[]> {
  const { items } = await client.list(nodeRef, { labelSelector: `eks.amazonaws.com/nodegroup=${group}` });
  return items;
}

const count = (group: string, n: number) =>
  until(async () => {
    const nodes = await nodesOf(group);
    return nodes.length === n && nodes;
  }, `${n} nodes in ${group}`);

before(async () => {
  api = await startTestApi();
  client = inProcessClient(api.ctx);
  facts = new StaticClusterFacts('skiff', region);
  ipam = new VpcAddresses(client, defaultSubnets(region));
});
after(async () => {
  controller?.stop();
  await api.close();
});

describe('node groups become nodes', () => {
  beforeEach(() => errors.splice(0));

  it('waits for a live host, then creates desiredSize nodes as EKS names and labels them', async () => {
    await putHost('stale', new Date(Date.now() - 120_000).toISOString());
    controller = new NodegroupController({ client, facts, ipam, onError: (e) => errors.push(e) });
    await controller.start();
    facts.setNodegroups([nodegroup()]);
    await until(() => errors.length > 0, 'a report that no host has room');
    assert.match(String(errors[0]), /no live host agent has room for a t3.medium node/);
    assert.equal((await nodesOf('workers')).length, 0);

    await putHost('host-1');
    const nodes = await count('workers', 2);
    const zones = new Set<string>();
    for (const node of nodes) {
      const ip = node.status.addresses.find((a: any) => a.type === 'InternalIP').address;
      assert.equal(node.metadata.name, `ip-${ip.replaceAll('.', '-')}.${region}.compute.internal`);
      assert.equal(node.metadata.labels!.team, 'web');
      assert.equal(node.metadata.labels!['node.kubernetes.io/instance-type'], 't3.medium');
      assert.equal(node.metadata.labels!['eks.amazonaws.com/capacityType'], 'ON_DEMAND');
      assert.equal(node.metadata.annotations!['skiff.io/host'], 'host-1');
      const podIps = node.metadata.annotations!['skiff.io/pod-ips'].split(',');
      assert.equal(podIps.length, 17);
      for (const a of nodeIps(node)) assert.equal(ipam.isClaimed(a), true);
      assert.equal(node.status.allocatable.pods, '17');
      assert.match(
        node.spec.providerID,
        new RegExp(`^aws:///${node.metadata.labels!['topology.kubernetes.io/zone']}/i-`),
      );
      zones.add(node.metadata.labels!['topology.kubernetes.io/zone']);
    }
    assert.deepEqual([...zones].sort(), [`${region}a`, `${region}b`], 'spread across zones');
  });

  it('scales in by draining: cordon, evict the pods, delete the node and release its IPs', async () => {
    const nodes = await nodesOf('workers');
    const victim = [...nodes].sort((a, b) =>
      b.metadata.creationTimestamp!.localeCompare(a.metadata.creationTimestamp!),
    )[0];
    for (const name of ['p0', 'p1']) {
      await client.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: {
          nodeName: victim.metadata.name,
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'c', image: 'nginx' }],
        },
      });
    }
    const ips = nodeIps(victim);
    facts.setNodegroups([nodegroup({ desiredSize: 1 })]);
    const [left] = await count('workers', 1);
    assert.ok(!ips.includes(left.status.addresses[0].address));
    const pods = await client.list({ apiVersion: 'v1', kind: 'Pod', namespace: 'default' });
    assert.deepEqual(pods.items, []);
    await until(() => ips.every((ip) => !ipam.isClaimed(ip)), 'the IPs released');
  });

  it('a new controller claims the IPs of existing nodes', async () => {
    controller.stop();
    const fresh = new VpcAddresses(client, defaultSubnets(region));
    controller = new NodegroupController({ client, facts, ipam: fresh, onError: (e) => errors.push(e) });
    await controller.start();
    const [node] = await nodesOf('workers');
    for (const ip of nodeIps(node)) assert.equal(fresh.isClaimed(ip), true);
    await controller.queue.drained();
    assert.deepEqual(await nodesOf('workers'), [node], 'a restart leaves the nodes alone');
    ipam = fresh;
  });

  it('scales out again and applies the node group taints to new and existing nodes', async () => {
    facts.setNodegroups([
      nodegroup({ desiredSize: 3, taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }] }),
    ]);
    await count('workers', 3);
    const nodes = await until(async () => {
      const all = await nodesOf('workers');
      return all.every((n) => n.spec.taints?.[0]?.key === 'dedicated') && all;
    }, 'the taint on every node');
    assert.equal(new Set(nodes.map((n) => n.metadata.name)).size, 3);
  });

  it('a DELETING node group is drained away, and so is one that is gone', async () => {
    facts.setNodegroups([
      nodegroup({ desiredSize: 3 }),
      nodegroup({ name: 'batch', desiredSize: 1, status: 'CREATING' }),
    ]);
    await count('batch', 1);
    facts.setNodegroups([
      nodegroup({ status: 'DELETING', desiredSize: 3 }),
      nodegroup({ name: 'batch', desiredSize: 1 }),
    ]);
    await count('workers', 0);
    facts.setNodegroups([]);
    await count('batch', 0);
    assert.deepEqual(errors, []);
  });

  it('an unknown instance type is reported, not crashed on', async () => {
    facts.setNodegroups([nodegroup({ name: 'odd', instanceTypes: ['x9.huge'], desiredSize: 1 })]);
    await until(() => errors.length > 0, 'the report');
    assert.match(String(errors[0]), /instance type x9.huge is not one Skiff can size/);
    assert.equal((await nodesOf('odd')).length, 0);
  });
});
