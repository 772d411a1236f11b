// Which host agent runs a new node-group node: src/scheduler/hosts/'s live hosts and room rules, with a node-group
// node sized by its instance type (label `node.kubernetes.io/instance-type`).
import type { KubeObject } from '../../kube/api/types.js';
import type { Host } from '../../scheduler/hosts/lease.js';
import { pickHost as pickRoomyHost, type Resources, usageByHost } from '../../scheduler/hosts/room.js';
import { instanceType } from './instance-types.js';
import { instanceTypeLabel } from './node.js';

export { hostLeaseNamespace, liveHosts } from '../../scheduler/hosts/lease.js';

/** A node-group node takes its instance type's vCPUs and memory from its host. */
export function instanceSize(node: KubeObject): Resources | undefined {
  const type = instanceType(node.metadata.labels?.[instanceTypeLabel] ?? '');
  return type ? { cpuMillis: type.vcpu * 1000, memoryMiB: type.memoryGiB * 1024 } : undefined;
}

/** The live host with room for one more node of `need` after `nodes`; undefined when none has room. */
export function pickHost(hosts: Host[], nodes: Iterable<KubeObject>, need: Resources): string | undefined {
  const used = usageByHost(nodes, instanceSize);
  return pickRoomyHost(hosts, (host) => used.get(host), need);
}
