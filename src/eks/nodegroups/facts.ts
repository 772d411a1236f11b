// What the node-group controller learns of a group's update in progress (through ClusterFacts): its id and type,
// how many nodes a rolling replacement may take down at once, and `force`.
import type { NodegroupUpdateInfo } from '../../cloud/facts.js';
import type { StoredNodegroup } from '../records.js';
import { maxUnavailableNodes } from './validate.js';

export function nodegroupUpdateInfo(stored: StoredNodegroup): NodegroupUpdateInfo | undefined {
  const ng = stored.nodegroup;
  if (!stored.updateId || ng.status !== 'UPDATING') return undefined;
  return {
    id: stored.updateId,
    type: stored.updateType ?? 'ConfigUpdate',
    maxUnavailable: maxUnavailableNodes(ng.updateConfig, ng.scalingConfig.desiredSize),
    force: Boolean(stored.force),
  };
}
