// The node lifecycle controller's one reconcile, per node name: the node's health from its heartbeats (conditions
// Unknown when overdue), its pods marked not Ready when it stops being Ready, the taints its conditions call for
// (NoExecute paced per zone), the taint manager's evictions of its pods, a Fargate node whose host is gone deleted,
// and — once the node itself is gone — its orphaned pods collected. It says when it next needs to look.
import { recordEvent } from '../../client/events.js';
import type { Lister } from '../../client/lister.js';
import { ignoreNotFound } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { evictionTime, evictPod } from './eviction.js';
import {
  type GracePeriods,
  type NodeHealth,
  observeHealth,
  overdueAt,
  readyCondition,
  unknownConditions,
} from './health.js';
import { deleteGoneNode, type HostHealth, hostLeasePrefix, hostOfNode, observeHost, sandboxGone } from './hosts.js';
import { deleteOrphan, nodeIsGone } from './orphans.js';
import { withPodCondition } from './pod-conditions.js';
import { desiredTaints, noExecuteKeyFor } from './taints.js';
import { apiTime } from './time.js';
import type { ZoneCounts, ZoneLimiter, ZoneSettings } from './zones.js';
import { zoneOf } from './zones.js';

export const nodeControllerComponent = 'node-controller';
export const nodeLeaseNamespace = 'kube-node-lease';

export interface NodeLifecycleSettings {
  grace: GracePeriods;
  zones: ZoneSettings;
  /** --node-monitor-period (5 s): how soon a node held back by its zone's state is looked at again. */
  monitorPeriodMs: number;
  /** How long a pod bound to a missing node waits before pod GC takes it. */
  orphanQuarantineMs: number;
}

/** What the controller remembers between reconciles (kube keeps the same in memory). */
export interface NodeLifecycleState {
  health: Map<string, NodeHealth>;
  hosts: Map<string, HostHealth>;
  /** Nodes seen, by name → uid, for RegisteredNode/RemovingNode. */
  known: Map<string, string>;
  /** When pods on a missing node were first seen. */
  orphansSeen: Map<string, number>;
  limiter: ZoneLimiter;
}

export interface NodeLifecycleContext {
  client: KubeClient;
  nodes: Lister;
  /** The nodes' zones as the node informer last showed them. */
  zones: ZoneCounts;
  /** Node Leases (kube-node-lease). */
  leases: Lister;
  /** Host agents' Leases (kube-system). */
  hostLeases: Lister;
  pods: Lister;
  now: () => Date;
  settings: NodeLifecycleSettings;
  state: NodeLifecycleState;
}

/** The reconcile's answer: when to look again (epoch ms), if ever. */
export type NextLook = number | undefined;

const earliest = (...times: NextLook[]): NextLook =>
  times.reduce<NextLook>((a, b) => (b === undefined ? a : a === undefined ? b : Math.min(a, b)), undefined);

function nodeEvent(ctx: NodeLifecycleContext, name: string, uid: string, reason: string, message: string): void {
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name, uid } };
  recordEvent(ctx.client, nodeControllerComponent, node, 'Normal', reason, message).catch(() => undefined);
}

export async function reconcileNode(ctx: NodeLifecycleContext, name: string): Promise<NextLook> {
  const now = ctx.now();
  const nowMs = now.getTime();
  const node = ctx.nodes.get(undefined, name);
  if (!node) return collectOrphans(ctx, name, nowMs);
  ctx.state.orphansSeen.delete(name);
  if (!ctx.state.known.has(name)) {
    ctx.state.known.set(name, node.metadata.uid!);
    nodeEvent(
      ctx,
      name,
      node.metadata.uid!,
      'RegisteredNode',
      `Node ${name} event: Registered Node ${name} in Controller`,
    );
  }

  const previous = ctx.state.health.get(name);
  const health = observeHealth(previous, node, ctx.leases.get(nodeLeaseNamespace, name), nowMs);
  ctx.state.health.set(name, health);
  let current = node;
  let next: NextLook;
  const due = overdueAt(node, health, ctx.settings.grace);
  if (nowMs > due) {
    const conditions = unknownConditions(node, apiTime(now));
    if (conditions)
      current = await ctx.client.update({ ...node, status: { ...node.status, conditions } }, { subresource: 'status' });
  } else next = due + 1;

  const ready = readyCondition(current)?.status;
  if (previous?.readyStatus === 'True' && ready !== 'True') {
    nodeEvent(ctx, name, node.metadata.uid!, 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    await markPodsNotReady(ctx, name, now);
  }
  health.readyStatus = ready;

  const tainted = await taint(ctx, current, now);
  current = tainted.node;
  next = earliest(next, tainted.next, await evictPods(ctx, current, nowMs));
  return earliest(next, await checkHost(ctx, current, nowMs));
}

/** MarkPodsNotReady: each pod's Ready condition False, with a NodeNotReady event. */
async function markPodsNotReady(ctx: NodeLifecycleContext, name: string, now: Date): Promise<void> {
  for (const pod of ctx.pods.onNode(name)) {
    const ready = (pod.status?.conditions ?? []).find((c: any) => c?.type === 'Ready');
    if (!ready) continue;
    const conditions = withPodCondition(pod.status.conditions, { ...ready, status: 'False' }, now);
    if (!conditions) continue;
    const ref = { apiVersion: 'v1', kind: 'Pod', namespace: pod.metadata.namespace };
    await ctx.client
      .patch(ref, pod.metadata.name!, { status: { conditions } }, 'merge', { subresource: 'status' })
      .catch(ignoreNotFound);
    recordEvent(ctx.client, nodeControllerComponent, pod, 'Warning', 'NodeNotReady', 'Node is not ready').catch(
      () => undefined,
    );
  }
}

async function taint(
  ctx: NodeLifecycleContext,
  node: KubeObject,
  now: Date,
): Promise<{ node: KubeObject; next: NextLook }> {
  const nowMs = now.getTime();
  const key = noExecuteKeyFor(node);
  const hasNoExecute = (node.spec?.taints ?? []).some((t: any) => t.effect === 'NoExecute');
  if (!key && !hasNoExecute) {
    const taints = desiredTaints(node, apiTime(now), { allowed: false, disrupted: false });
    return {
      node: taints ? await ctx.client.update({ ...node, spec: { ...node.spec, taints } }) : node,
      next: undefined,
    };
  }
  const zones = ctx.zones.weigh(ctx.settings.zones, node);
  const missing = key && !(node.spec?.taints ?? []).some((t: any) => t.key === key && t.effect === 'NoExecute');
  let allowed = false;
  let next: NextLook;
  if (missing && !zones.allDisrupted) {
    const zone = zoneOf(node);
    const token = ctx.state.limiter.take(zone, zones.rateOf(zone), nowMs);
    allowed = token.allowed;
    if (!allowed) next = nowMs + (Number.isFinite(token.waitMs) ? token.waitMs : ctx.settings.monitorPeriodMs);
  } else if (missing) next = nowMs + ctx.settings.monitorPeriodMs;
  const taints = desiredTaints(node, apiTime(now), { allowed, disrupted: zones.allDisrupted });
  if (!taints) return { node, next };
  return { node: await ctx.client.update({ ...node, spec: { ...node.spec, taints } }), next };
}

/** The taint manager's pass over the node's pods: the due ones deleted, the next due time returned. */
async function evictPods(ctx: NodeLifecycleContext, node: KubeObject, nowMs: number): Promise<NextLook> {
  let next: NextLook;
  for (const pod of ctx.pods.onNode(node.metadata.name!)) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = evictionTime(pod, node.spec?.taints, nowMs);
    if (at === undefined) continue;
    if (at <= nowMs) await evictPod(ctx.client, pod);
    else next = earliest(next, at);
  }
  return next;
}

async function checkHost(ctx: NodeLifecycleContext, node: KubeObject, nowMs: number): Promise<NextLook> {
  const host = hostOfNode(node);
  if (!host) return undefined;
  const lease = ctx.hostLeases.get('kube-system', `${hostLeasePrefix}${host}`);
  const seen = observeHost(ctx.state.hosts.get(host), lease, nowMs);
  ctx.state.hosts.set(host, seen);
  const grace = ctx.settings.grace.monitorMs;
  if (sandboxGone(node, seen, grace, nowMs)) {
    await deleteGoneNode(ctx.client, node);
    return undefined;
  }
  return readyCondition(node)?.status === 'True' ? undefined : seen.probeTimestamp + grace + 1;
}

/** The node is gone: after the quarantine, its pods (if the API agrees it is gone) are collected. */
async function collectOrphans(ctx: NodeLifecycleContext, name: string, nowMs: number): Promise<NextLook> {
  const uid = ctx.state.known.get(name);
  if (uid !== undefined) {
    ctx.state.known.delete(name);
    ctx.state.health.delete(name);
    nodeEvent(ctx, name, uid, 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
  }
  const pods = ctx.pods.onNode(name);
  if (pods.length === 0) {
    ctx.state.orphansSeen.delete(name);
    return undefined;
  }
  const seen = ctx.state.orphansSeen.get(name) ?? nowMs;
  ctx.state.orphansSeen.set(name, seen);
  const due = seen + ctx.settings.orphanQuarantineMs;
  if (nowMs < due) return due;
  if (!(await nodeIsGone(ctx.client, name))) return undefined;
  for (const pod of pods) await deleteOrphan(ctx.client, pod, new Date(nowMs));
  ctx.state.orphansSeen.delete(name);
  return undefined;
}
