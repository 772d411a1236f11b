// A Deployment's status from its ReplicaSets (`calculateStatus`) and its conditions: Available (minimum
// availability) and Progressing (created, found, updated, available, paused, deadline exceeded) with Kubernetes' texts.
import type { KubeObject } from '../../kube/api/types.js';
import { maxUnavailable, specReplicas, statusOf, sum } from './replicasets.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export const reasons = {
  minimumAvailable: 'MinimumReplicasAvailable',
  minimumUnavailable: 'MinimumReplicasUnavailable',
  created: 'NewReplicaSetCreated',
  found: 'FoundNewReplicaSet',
  updated: 'ReplicaSetUpdated',
  available: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
} as const;

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function condition(status: Condition['status'], type: string, reason: string, message: string, nowMs: number) {
  const time = stamp(nowMs);
  return { type, status, reason, message, lastUpdateTime: time, lastTransitionTime: time } as Condition;
}

export function getCondition(status: any, type: string): Condition | undefined {
  return (status?.conditions ?? []).find((c: Condition) => c.type === type);
}

/** `SetDeploymentCondition`: unchanged when status and reason match; keeps the transition time when status does. */
export function setCondition(status: any, next: Condition): void {
  const current = getCondition(status, next.type);
  if (current && current.status === next.status && current.reason === next.reason) return;
  if (current && current.status === next.status) next.lastTransitionTime = current.lastTransitionTime;
  removeCondition(status, next.type);
  status.conditions = [...(status.conditions ?? []), next];
}

export function removeCondition(status: any, type: string): void {
  status.conditions = (status.conditions ?? []).filter((c: Condition) => c.type !== type);
}

export function hasProgressDeadline(d: KubeObject): boolean {
  const seconds = d.spec?.progressDeadlineSeconds;
  return seconds !== undefined && seconds !== null && seconds !== 2147483647;
}

export function calculateStatus(d: KubeObject, all: KubeObject[], newRS: KubeObject | undefined, nowMs: number) {
  const available = sum(all, statusOf('availableReplicas'));
  const status: any = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: sum(all, statusOf('replicas')),
    updatedReplicas: newRS ? statusOf('replicas')(newRS) : 0,
    readyReplicas: sum(all, statusOf('readyReplicas')),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum(all, specReplicas) - available),
    conditions: structuredClone(d.status?.conditions ?? []),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const desired = d.spec?.replicas ?? 1;
  if (available >= desired - maxUnavailable(d)) {
    const message = 'Deployment has minimum availability.';
    setCondition(status, condition('True', 'Available', reasons.minimumAvailable, message, nowMs));
  } else {
    const message = 'Deployment does not have minimum availability.';
    setCondition(status, condition('False', 'Available', reasons.minimumUnavailable, message, nowMs));
  }
  return status;
}

/** `DeploymentComplete`: every replica updated and available, and the latest generation observed. */
export function isComplete(d: KubeObject, status: any): boolean {
  const desired = d.spec?.replicas ?? 1;
  return (
    status.updatedReplicas === desired &&
    status.replicas === desired &&
    status.availableReplicas === desired &&
    status.observedGeneration >= (d.metadata.generation ?? 0)
  );
}

function isProgressing(d: KubeObject, status: any): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = status.replicas - status.updatedReplicas;
  return (
    status.updatedReplicas > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    status.readyReplicas > (old.readyReplicas ?? 0) ||
    status.availableReplicas > (old.availableReplicas ?? 0)
  );
}

function isTimedOut(d: KubeObject, status: any, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const progressing = getCondition(status, 'Progressing');
  if (!progressing || progressing.reason === reasons.available) return false;
  if (progressing.reason === reasons.timedOut) return true;
  return Date.parse(progressing.lastUpdateTime ?? '') + d.spec.progressDeadlineSeconds * 1000 < nowMs;
}

/** `syncRolloutStatus`'s condition logic, applied to a freshly calculated status. */
export function rolloutStatus(d: KubeObject, all: KubeObject[], newRS: KubeObject | undefined, nowMs: number) {
  const status = calculateStatus(d, all, newRS, nowMs);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(status, 'Progressing');
  const done = status.replicas === status.updatedReplicas && current?.reason === reasons.available;
  if (hasProgressDeadline(d) && !done) {
    const name = newRS?.metadata.name;
    if (isComplete(d, status)) {
      const message = name
        ? `ReplicaSet "${name}" has successfully progressed.`
        : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(status, condition('True', 'Progressing', reasons.available, message, nowMs));
    } else if (isProgressing(d, status)) {
      const message = name ? `ReplicaSet "${name}" is progressing.` : 'Deployment is progressing.';
      const next = condition('True', 'Progressing', reasons.updated, message, nowMs);
      if (current?.status === 'True') next.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, 'Progressing');
      status.conditions.push(next);
    } else if (isTimedOut(d, status, nowMs)) {
      const message = name
        ? `ReplicaSet "${name}" has timed out progressing.`
        : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(status, condition('False', 'Progressing', reasons.timedOut, message, nowMs));
    }
  }
  return status;
}

/** How long until a stuck rollout passes its deadline (`requeueStuckDeployment`), if it can. */
export function untilDeadlineMs(d: KubeObject, status: any, nowMs: number): number | undefined {
  const progressing = getCondition(status, 'Progressing');
  if (!hasProgressDeadline(d) || !progressing || isComplete(d, status)) return undefined;
  if (progressing.reason === reasons.available || progressing.reason === reasons.timedOut) return undefined;
  const at = Date.parse(progressing.lastUpdateTime ?? '') + d.spec.progressDeadlineSeconds * 1000;
  return Math.max(0, at - nowMs) + 1000;
}

export function statusEqual(a: any, b: any): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(status: any) {
  const s = status ?? {};
  const fields = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'];
  return [...fields.map((f) => s[f] ?? 0), s.unavailableReplicas ?? 0, s.collisionCount, s.conditions ?? []];
}
