// A VersionUpdate's rolling replacement, as EKS's managed node group update runs it: new nodes of the target
// release are launched first (at most maxUnavailable beyond the desired size), then old nodes are drained
// maxUnavailable at a time (evictions go through the eviction API, so PodDisruptionBudgets hold), until every node
// runs the target release and the group is back at its desired size.
import type { NodegroupInfo } from '../../cloud/facts.js';
import type { KubeObject } from '../../kube/api/types.js';
import { amiId } from './node.js';

export const imageLabel = 'eks.amazonaws.com/nodegroup-image';

/** Whether a node runs the group's current AMI release. */
export function upToDate(node: KubeObject, ng: NodegroupInfo, region: string): boolean {
  return node.metadata.labels?.[imageLabel] === amiId(region, ng.amiType, ng.releaseVersion);
}

export interface RollStep {
  /** Nodes to launch now. */
  launch: number;
  /** Old nodes to start draining now. */
  drain: KubeObject[];
  /** Every node is of the target release, none is draining, and the group has its desired size. */
  done: boolean;
}

/**
 * The next step of the roll. `staying` are the group's nodes not being drained; `draining` counts its nodes being
 * drained now.
 */
export function rollStep(
  staying: KubeObject[],
  draining: number,
  ng: NodegroupInfo,
  region: string,
  maxUnavailable: number,
): RollStep {
  const fresh = staying.filter((n) => upToDate(n, ng, region));
  const stale = staying.filter((n) => !upToDate(n, ng, region));
  const desired = ng.desiredSize;
  const launch = Math.max(0, Math.min(desired - fresh.length, desired + maxUnavailable - staying.length));
  // At most maxUnavailable nodes draining at once, and at least desired - maxUnavailable left serving.
  const room = Math.max(0, maxUnavailable - draining);
  const drainCount = Math.max(0, Math.min(room, stale.length, staying.length + launch - (desired - maxUnavailable)));
  const oldestFirst = [...stale].sort((a, b) =>
    (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
  );
  const drain = oldestFirst.slice(0, drainCount);
  return { launch, drain, done: stale.length === 0 && draining === 0 && fresh.length === desired };
}
