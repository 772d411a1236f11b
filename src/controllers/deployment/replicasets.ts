// What the deployment controller reads from its ReplicaSets: revisions, replica sums, template equality ignoring
// the hash label, max surge/unavailable fenceposts (surge rounds up, unavailable down) and the replicas annotations.
import type { KubeObject } from '../../kube/api/types.js';

export const hashLabel = 'pod-template-hash';
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';

export const specReplicas = (rs: KubeObject): number => rs.spec?.replicas ?? 0;
export const sum = (sets: KubeObject[], read: (rs: KubeObject) => number): number =>
  sets.reduce((total, rs) => total + read(rs), 0);
export const statusOf = (field: string) => (rs: KubeObject) => (rs.status?.[field] as number | undefined) ?? 0;
export const active = (sets: KubeObject[]): KubeObject[] => sets.filter((rs) => specReplicas(rs) > 0);

export function revisionOf(object: KubeObject): number {
  const value = Number(object.metadata.annotations?.[revisionAnnotation] ?? '0');
  return Number.isInteger(value) ? value : 0;
}

export function byCreation(a: KubeObject, b: KubeObject): number {
  const diff = Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '');
  return diff || (a.metadata.name! < b.metadata.name! ? -1 : 1);
}

function withoutHash(template: any): any {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[hashLabel];
  return copy;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!deepEqual((a as any)[key], (b as any)[key])) return false;
  return true;
}

export function sameTemplate(a: unknown, b: unknown): boolean {
  return deepEqual(withoutHash(a), withoutHash(b));
}

/** `intstr.GetScaledValueFromIntOrPercent`. */
function scaled(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const percent = Number.parseInt(value.replace('%', ''), 10);
  const exact = (percent * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** `ResolveFenceposts`: [maxSurge, maxUnavailable], never both zero. */
export function fenceposts(d: KubeObject): [number, number] {
  const rolling = d.spec?.strategy?.rollingUpdate ?? {};
  const desired = d.spec?.replicas ?? 1;
  const surge = scaled(rolling.maxSurge ?? '25%', desired, true);
  const unavailable = scaled(rolling.maxUnavailable ?? '25%', desired, false);
  return surge === 0 && unavailable === 0 ? [0, 1] : [surge, unavailable];
}

const isRolling = (d: KubeObject) => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

export function maxSurge(d: KubeObject): number {
  return isRolling(d) ? fenceposts(d)[0] : 0;
}

export function maxUnavailable(d: KubeObject): number {
  const desired = d.spec?.replicas ?? 1;
  if (!isRolling(d) || desired === 0) return 0;
  return Math.min(fenceposts(d)[1], desired);
}

/** Sets desired-replicas and max-replicas on an RS's annotations; true when they changed. */
export function setReplicasAnnotations(rs: KubeObject, d: KubeObject): boolean {
  const desired = String(d.spec?.replicas ?? 1);
  const max = String((d.spec?.replicas ?? 1) + maxSurge(d));
  const annotations = { ...(rs.metadata.annotations ?? {}) };
  if (annotations[desiredReplicasAnnotation] === desired && annotations[maxReplicasAnnotation] === max) return false;
  annotations[desiredReplicasAnnotation] = desired;
  annotations[maxReplicasAnnotation] = max;
  rs.metadata.annotations = annotations;
  return true;
}

const notCopied = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
]);

/** `SetNewReplicaSetAnnotations`: copies the deployment's annotations and raises the revision (keeping history). */
export function setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, revision: number, exists: boolean) {
  const annotations: Record<string, string> = { ...(rs.metadata.annotations ?? {}) };
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (notCopied.has(key) || key.startsWith('rollback.kubernetes.io/') || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  const old = annotations[revisionAnnotation];
  if (!old || Number(old) < revision) {
    annotations[revisionAnnotation] = String(revision);
    if (old && exists) {
      const history = annotations[revisionHistoryAnnotation];
      annotations[revisionHistoryAnnotation] = history ? `${history},${old}` : old;
    }
    changed = true;
  }
  rs.metadata.annotations = annotations;
  if (!exists) setReplicasAnnotations(rs, d);
  return changed;
}
