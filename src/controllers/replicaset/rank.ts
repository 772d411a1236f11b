// Which pods a ReplicaSet deletes first when it has too many, in Kubernetes' order: unscheduled, then
// Pending < Unknown < Running, not ready, lower pod-deletion-cost, more pods of the set on the same node,
// ready more recently, more restarts, created more recently (the last two in log2 age buckets, ties by UID).
import type { KubeObject } from '../../kube/api/types.js';
import { isPodActive, isPodReady, podReadyTime } from './pods.js';

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const deletionCost = 'controller.kubernetes.io/pod-deletion-cost';

function phaseOf(pod: KubeObject): number {
  return phaseOrdinal[pod.status?.phase ?? ''] ?? 0;
}

function costOf(pod: KubeObject): number {
  const value = Number(pod.metadata.annotations?.[deletionCost] ?? 0);
  return Number.isInteger(value) ? value : 0;
}

function maxRestarts(pod: KubeObject): number {
  return Math.max(
    0,
    ...(pod.status?.containerStatuses ?? []).map((c: { restartCount?: number }) => c.restartCount ?? 0),
  );
}

/** Negative when a (by its timestamp in ms, 0 for none) is the newer one and so goes first. */
function compareNewerFirst(a: number, b: number, nowMs: number, uidA: string, uidB: string): number {
  if (a === b) return 0;
  if (!a || !b) return a ? 1 : -1;
  const bucket = (t: number) => (nowMs - t > 0 ? Math.floor(Math.log2((nowMs - t) * 1e6)) : -1);
  const diff = bucket(a) - bucket(b);
  if (diff !== 0) return diff;
  return uidA < uidB ? -1 : uidA > uidB ? 1 : 0;
}

export function compareForDeletion(
  a: KubeObject,
  b: KubeObject,
  rank: (pod: KubeObject) => number,
  nowMs: number,
): number {
  const nodeA = a.spec?.nodeName ?? '';
  const nodeB = b.spec?.nodeName ?? '';
  if (nodeA !== nodeB && (!nodeA || !nodeB)) return nodeA ? 1 : -1;
  if (phaseOf(a) !== phaseOf(b)) return phaseOf(a) - phaseOf(b);
  if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
  if (costOf(a) !== costOf(b)) return costOf(a) - costOf(b);
  if (rank(a) !== rank(b)) return rank(b) - rank(a);
  const uidA = a.metadata.uid ?? '';
  const uidB = b.metadata.uid ?? '';
  if (isPodReady(a) && isPodReady(b)) {
    const byReady = compareNewerFirst(podReadyTime(a), podReadyTime(b), nowMs, uidA, uidB);
    if (byReady !== 0) return byReady;
  }
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(b) - maxRestarts(a);
  const created = (pod: KubeObject) => Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
  return compareNewerFirst(created(a), created(b), nowMs, uidA, uidB);
}

/** The `count` pods to delete first; each pod's rank is how many active pods of the set share its node. */
export function podsToDelete(pods: KubeObject[], count: number, nowMs: number): KubeObject[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const pod of pods) {
    if (isPodActive(pod)) onNode.set(pod.spec?.nodeName ?? '', (onNode.get(pod.spec?.nodeName ?? '') ?? 0) + 1);
  }
  const rank = (pod: KubeObject) => onNode.get(pod.spec?.nodeName ?? '') ?? 0;
  return [...pods].sort((a, b) => compareForDeletion(a, b, rank, nowMs)).slice(0, count);
}
