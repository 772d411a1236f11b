// Launching one node-group instance: its type (the first the node group lists that Skiff knows), a host agent with
// room, a primary address and max-pods secondary addresses from one of the group's subnets, then the Node itself.
import type { NodegroupInfo } from '../../cloud/facts.js';
import { privateDnsName } from '../../fargate/naming.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import type { VpcAddresses } from '../../scheduler/ipam/vpc-addresses.js';
import { liveHosts, pickHost } from './hosts.js';
import { defaultInstanceType, type InstanceType, instanceType, maxPods } from './instance-types.js';
import { newInstanceId, nodegroupNode } from './node.js';

export interface LaunchContext {
  client: KubeClient;
  ipam: VpcAddresses;
  clusterName: string;
  region: string;
  kubernetesVersion: string;
  leases(): KubeObject[];
  allNodes(): Iterable<KubeObject>;
  now(): number;
}

export function typeOf(ng: NodegroupInfo): InstanceType | undefined {
  const names = ng.instanceTypes.length > 0 ? ng.instanceTypes : [defaultInstanceType];
  for (const name of names) {
    const type = instanceType(name);
    if (type) return type;
  }
  return undefined;
}

/** The created Node, or why none could be launched now (the caller retries later). */
export async function launchNode(
  ctx: LaunchContext,
  ng: NodegroupInfo,
): Promise<{ node: KubeObject } | { wait: string }> {
  const type = typeOf(ng);
  if (!type) {
    return { wait: `node group ${ng.name}: instance type ${ng.instanceTypes.join(', ')} is not one Skiff can size` };
  }
  const host = pickHost(liveHosts(ctx.leases(), ctx.now()), ctx.allNodes(), {
    cpuMillis: type.vcpu * 1000,
    memoryMiB: type.memoryGiB * 1024,
  });
  if (!host) return { wait: `node group ${ng.name}: no live host agent has room for a ${type.name} node` };
  const primary = await ctx.ipam.allocate(ng.subnets, (ip) => privateDnsName(ip, ctx.region));
  if ('reason' in primary) return { wait: `node group ${ng.name}: ${primary.message}` };
  const nodeName = privateDnsName(primary.ip, ctx.region);
  const taken = [primary.ip];
  const releaseAll = () => Promise.all(taken.map((ip) => ctx.ipam.release(ip)));
  for (let i = 0; i < maxPods(type); i++) {
    const secondary = await ctx.ipam
      .allocate([primary.subnetId], () => nodeName)
      .catch(async (error) => {
        await releaseAll();
        throw error;
      });
    if ('reason' in secondary) {
      await releaseAll();
      return { wait: `node group ${ng.name}: ${secondary.message}` };
    }
    taken.push(secondary.ip);
  }
  const node = nodegroupNode({
    clusterName: ctx.clusterName,
    region: ctx.region,
    kubernetesVersion: ctx.kubernetesVersion,
    nodegroup: ng,
    type,
    ip: primary.ip,
    zone: primary.availabilityZone,
    podIps: taken.slice(1),
    host,
    instanceId: newInstanceId(),
    now: new Date(ctx.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
  });
  try {
    return { node: await ctx.client.create(node) };
  } catch (error) {
    await releaseAll();
    throw error;
  }
}
