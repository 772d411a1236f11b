// Reconciles one node group: while it is CREATING, ACTIVE or UPDATING it has desiredSize nodes (EKS's instances
// join while the group is still CREATING); extra nodes, and all of a DELETING or vanished group's, are drained away.

import type { ReconcileResult } from '../../client/queue.js';
import type { NodegroupInfo, NodegroupUpdateOutcome } from '../../cloud/facts.js';
import type { KubeObject } from '../../kube/api/types.js';
import { drainNode, evictionTimeoutMs } from './drain.js';
import { followNodegroup } from './follow.js';
import { type LaunchContext, launchNode } from './launch.js';
import { rollStep, upToDate } from './roll.js';

const growing = new Set(['CREATING', 'ACTIVE', 'UPDATING']);
const waitMs = 5000;

export interface NodegroupContext extends LaunchContext {
  nodegroup(name: string): NodegroupInfo | undefined;
  /** The group's nodes: the informer's, plus ones just created, minus ones just deleted. */
  nodesOf(name: string): KubeObject[];
  /** Node name → when its drain began. */
  draining: Map<string, number>;
  created(node: KubeObject): void;
  deleted(name: string): void;
  /** Why the group is short of nodes (reported once per distinct reason), or undefined once it is not. */
  waiting(name: string, reason: string | undefined): void;
  /** Ends the group's update on the EKS side. */
  settle(name: string, updateId: string, outcome: NodegroupUpdateOutcome): Promise<void>;
}

/** Why the group's desiredSize cannot be met: not a whole number, or outside minSize..maxSize. */
export function sizeFault(ng: NodegroupInfo): string | undefined {
  const { desiredSize, minSize = 0, maxSize = Number.MAX_SAFE_INTEGER } = ng;
  if (!Number.isSafeInteger(desiredSize) || desiredSize < 0) return `desiredSize ${desiredSize} is not valid`;
  if (desiredSize < minSize || desiredSize > maxSize)
    return `Desired capacity ${desiredSize} must be between min size ${minSize} and max size ${maxSize}`;
  return undefined;
}

const zoneOf = (node: KubeObject) => node.metadata.labels?.['topology.kubernetes.io/zone'] ?? '';

/**
 * The nodes scale-in removes, in the order an Auto Scaling group picks them: cordoned nodes first, then from the
 * zone with the most nodes (keeping zones balanced), newest first, then by name.
 */
export function nodesToRemove(nodes: KubeObject[], count: number): KubeObject[] {
  const left = [...nodes];
  const chosen: KubeObject[] = [];
  while (chosen.length < count && left.length > 0) {
    const perZone = new Map<string, number>();
    for (const n of left) perZone.set(zoneOf(n), (perZone.get(zoneOf(n)) ?? 0) + 1);
    left.sort(
      (a, b) =>
        Number(Boolean(b.spec?.unschedulable)) - Number(Boolean(a.spec?.unschedulable)) ||
        perZone.get(zoneOf(b))! - perZone.get(zoneOf(a))! ||
        (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') ||
        a.metadata.name!.localeCompare(b.metadata.name!),
    );
    chosen.push(left.shift()!);
  }
  return chosen;
}

/** Ends a version update EKS could not finish: the node being drained is uncordoned and kept. */
async function failRoll(ctx: NodegroupContext, group: string, updateId: string, node: KubeObject): Promise<void> {
  ctx.draining.delete(node.metadata.name!);
  await ctx.client
    .patch({ apiVersion: 'v1', kind: 'Node' }, node.metadata.name!, { spec: { unschedulable: null } }, 'merge')
    .catch(() => undefined);
  const instance = node.spec?.providerID?.split('/').pop() ?? node.metadata.name!;
  await ctx.settle(group, updateId, {
    status: 'Failed',
    errors: [
      {
        errorCode: 'PodEvictionFailure',
        errorMessage: `Reached max retries while trying to evict pods from nodes in node group ${group}`,
        resourceIds: [instance],
      },
    ],
  });
}

export async function reconcileNodegroup(ctx: NodegroupContext, name: string): Promise<ReconcileResult> {
  const ng = ctx.nodegroup(name);
  const nodes = ctx.nodesOf(name);
  const now = ctx.now();
  let requeueAfterMs: number | undefined;
  const after = (ms: number | undefined) => {
    if (ms !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? ms, ms);
  };

  if (!ng || ng.status === 'DELETING') {
    for (const node of nodes) if (!ctx.draining.has(node.metadata.name!)) ctx.draining.set(node.metadata.name!, now);
    ctx.waiting(name, undefined);
  } else if (growing.has(ng.status) && sizeFault(ng)) {
    // A size no count of nodes can meet (one that slipped past the EKS API) is refused, not chased.
    ctx.waiting(name, `node group ${name}: ${sizeFault(ng)}`);
  } else if (growing.has(ng.status)) {
    const staying = nodes.filter((n) => !ctx.draining.has(n.metadata.name!));
    const drainingNow = nodes.length - staying.length;
    let launch: number;
    if (ng.update?.type === 'VersionUpdate') {
      const step = rollStep(staying, drainingNow, ng, ctx.region, ng.update.maxUnavailable);
      for (const node of step.drain) ctx.draining.set(node.metadata.name!, now);
      launch = step.launch;
      if (step.done) await ctx.settle(name, ng.update.id, { status: 'Successful' });
    } else {
      const extra = staying.length - ng.desiredSize;
      for (const node of nodesToRemove(staying, extra)) ctx.draining.set(node.metadata.name!, now);
      launch = -extra;
    }
    let reason: string | undefined;
    for (let i = 0; i < launch && !reason; i++) {
      const launched = await launchNode(ctx, ng);
      if ('node' in launched) ctx.created(launched.node);
      else reason = launched.wait;
    }
    ctx.waiting(name, reason);
    if (reason) after(waitMs);
    const following = staying.filter((n) => !ctx.draining.has(n.metadata.name!));
    const matched = await followNodegroup(ctx.client, following, ng);
    if (
      ng.update?.type === 'ConfigUpdate' &&
      matched &&
      launch === 0 &&
      drainingNow === 0 &&
      following.length === ng.desiredSize
    ) {
      await ctx.settle(name, ng.update.id, { status: 'Successful' });
    }
  }

  const present = new Map(nodes.map((n) => [n.metadata.name!, n]));
  for (const [nodeName, startedAt] of ctx.draining) {
    const node = present.get(nodeName);
    if (!node) continue;
    const update = ng?.update;
    if (
      update?.type === 'VersionUpdate' &&
      !update.force &&
      !upToDate(node, ng!, ctx.region) &&
      ctx.now() - startedAt >= evictionTimeoutMs
    ) {
      // Without force, a budget that blocks eviction for 15 minutes fails the update: the node stays, serving.
      await failRoll(ctx, name, update.id, node);
      continue;
    }
    const next = await drainNode(ctx.client, node, startedAt, ctx.now());
    if (next === undefined) ctx.deleted(nodeName);
    after(next);
  }
  return requeueAfterMs === undefined ? {} : { requeueAfterMs };
}
