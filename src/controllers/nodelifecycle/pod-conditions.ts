// UpdatePodCondition as the node lifecycle controllers use it: a pod's conditions with one set — its transition
// time moved only when its status changes — or undefined when nothing would change.
import { apiTime } from './time.js';

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export function withPodCondition(
  existing: any[] | undefined,
  condition: PodCondition,
  now = new Date(),
): any[] | undefined {
  const conditions = (existing ?? []).map((c) => ({ ...c }));
  const current = conditions.find((c) => c?.type === condition.type);
  if (!current) {
    conditions.push({ ...condition, lastProbeTime: null, lastTransitionTime: apiTime(now) });
    return conditions;
  }
  if (
    current.status === condition.status &&
    current.reason === condition.reason &&
    current.message === condition.message
  ) {
    return undefined;
  }
  if (current.status !== condition.status) current.lastTransitionTime = apiTime(now);
  Object.assign(current, condition);
  return conditions;
}
