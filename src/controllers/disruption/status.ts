// The arithmetic of a PodDisruptionBudget's status (Kubernetes' disruption controller): minAvailable /
// maxUnavailable as an int or a percentage of the expected scale (rounded up), healthy pods, the evictions still
// expected to happen (disruptedPods, for two minutes), and the DisruptionAllowed condition.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../kube/api/types.js';

/** `DeletionTimeout`: how long an eviction recorded in disruptedPods is waited for. */
export const deletionTimeoutMs = 2 * 60 * 1000;

const nowTimestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** `intstr.GetScaledValueFromIntOrPercent` with rounding up, and its error texts. */
export function scaledValue(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  if (!String(value).endsWith('%')) {
    throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  }
  const digits = String(value).slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) {
    throw new Error(
      `invalid value for IntOrString: invalid value "${value}": strconv.Atoi: parsing "${digits}": invalid syntax`,
    );
  }
  return Math.ceil((Number(digits) * total) / 100);
}

export const isPodReady = (pod: KubeObject) =>
  (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/** `buildDisruptedPodMap`: evictions still pending (pod present, not yet deleting, within the timeout). */
export function pendingDisruptions(pdb: KubeObject, pods: KubeObject[], nowMs: number) {
  const recorded: Record<string, string> = pdb.status?.disruptedPods ?? {};
  const disrupted: Record<string, string> = {};
  const expired: KubeObject[] = [];
  let recheckAt: number | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = recorded[pod.metadata.name!];
    if (!at) continue;
    const expectedDeletion = Date.parse(at) + deletionTimeoutMs;
    if (expectedDeletion < nowMs) {
      expired.push(pod);
      continue;
    }
    recheckAt = recheckAt === undefined ? expectedDeletion : Math.min(recheckAt, expectedDeletion);
    disrupted[pod.metadata.name!] = at;
  }
  return { disrupted, expired, recheckAt };
}

/** `countHealthyPods`: ready pods that are neither deleting nor about to be evicted. */
export function countHealthy(pods: KubeObject[], disrupted: Record<string, string>, nowMs: number): number {
  return pods.filter((pod) => {
    if (pod.metadata.deletionTimestamp) return false;
    const at = disrupted[pod.metadata.name!];
    if (at && Date.parse(at) + deletionTimeoutMs > nowMs) return false;
    return isPodReady(pod);
  }).length;
}

export interface Counts {
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  disruptedPods: Record<string, string>;
}

/** The status `updatePdbStatus` writes, or undefined when the stored one is already it. */
export function nextStatus(pdb: KubeObject, counts: Counts, nowMs: number): Record<string, unknown> | undefined {
  const allowed = counts.currentHealthy - counts.desiredHealthy;
  const disruptionsAllowed = counts.expectedPods <= 0 || allowed <= 0 ? 0 : allowed;
  const old = pdb.status ?? {};
  const generation = pdb.metadata.generation ?? 0;
  const unchanged =
    old.currentHealthy === counts.currentHealthy &&
    old.desiredHealthy === counts.desiredHealthy &&
    old.expectedPods === counts.expectedPods &&
    old.disruptionsAllowed === disruptionsAllowed &&
    isDeepStrictEqual(old.disruptedPods ?? {}, counts.disruptedPods) &&
    old.observedGeneration === generation &&
    conditionUpToDate(pdb);
  if (unchanged) return undefined;
  const status: Record<string, unknown> = { observedGeneration: generation };
  if (Object.keys(counts.disruptedPods).length) status.disruptedPods = counts.disruptedPods;
  Object.assign(status, {
    disruptionsAllowed,
    currentHealthy: counts.currentHealthy,
    desiredHealthy: counts.desiredHealthy,
    expectedPods: counts.expectedPods,
  });
  const sufficient = disruptionsAllowed > 0;
  status.conditions = withCondition(
    old.conditions,
    {
      type: 'DisruptionAllowed',
      status: sufficient ? 'True' : 'False',
      observedGeneration: generation,
      reason: sufficient ? 'SufficientPods' : 'InsufficientPods',
      message: '',
    },
    nowMs,
  );
  return status;
}

/** `failSafe`: no disruption allowed, with the reason the status could not be computed. */
export function failSafeStatus(pdb: KubeObject, error: unknown, nowMs: number): Record<string, unknown> {
  const old = pdb.status ?? {};
  const message = error instanceof Error ? error.message : String(error);
  return {
    ...old,
    disruptionsAllowed: 0,
    conditions: withCondition(
      old.conditions,
      {
        type: 'DisruptionAllowed',
        status: 'False',
        observedGeneration: old.observedGeneration ?? 0,
        reason: 'SyncFailed',
        message,
      },
      nowMs,
    ),
  };
}

function conditionUpToDate(pdb: KubeObject): boolean {
  const status = pdb.status ?? {};
  const condition = (status.conditions ?? []).find((c: any) => c.type === 'DisruptionAllowed');
  if (!condition || status.observedGeneration !== pdb.metadata.generation) return false;
  if ((status.disruptionsAllowed ?? 0) > 0) return condition.status === 'True' && condition.reason === 'SufficientPods';
  return condition.status === 'False' && condition.reason === 'InsufficientPods';
}

/** `meta.SetStatusCondition`: lastTransitionTime moves only when the status does. */
function withCondition(conditions: any[] | undefined, next: Record<string, unknown>, nowMs: number): any[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === next.type);
  const old = index >= 0 ? list[index] : undefined;
  const lastTransitionTime = old && old.status === next.status ? old.lastTransitionTime : nowTimestamp(nowMs);
  const condition = {
    type: next.type,
    status: next.status,
    observedGeneration: next.observedGeneration,
    lastTransitionTime,
    reason: next.reason,
    message: next.message,
  };
  if (index >= 0) list[index] = condition;
  else list.push(condition);
  return list;
}
