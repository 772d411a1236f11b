// The HPA's status conditions (AbleToScale, ScalingActive, ScalingLimited) set as Kubernetes sets them: in order of
// first appearance, lastTransitionTime moving only when the status flips.

export interface HpaCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

export const timestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function setCondition(
  conditions: HpaCondition[],
  type: string,
  status: HpaCondition['status'],
  reason: string,
  message: string,
  now: number,
): HpaCondition[] {
  const list = conditions.map((c) => ({ ...c }));
  let existing = list.find((c) => c.type === type);
  if (!existing) {
    existing = { type } as HpaCondition;
    list.push(existing);
  }
  if (existing.status !== status) existing.lastTransitionTime = timestamp(now);
  Object.assign(existing, { status, reason, message });
  return list;
}
