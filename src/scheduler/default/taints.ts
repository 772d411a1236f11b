// Taints and tolerations as Kubernetes matches them (core/v1 Toleration.ToleratesTaint): which taint of a node a
// pod does not tolerate, and how many PreferNoSchedule taints it would rather avoid.

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** The first NoSchedule or NoExecute taint no toleration matches, as the TaintToleration filter reports it. */
export function untoleratedTaint(
  taints: Taint[] | undefined,
  tolerations: Toleration[] | undefined,
): Taint | undefined {
  for (const taint of taints ?? []) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!(tolerations ?? []).some((t) => tolerates(t, taint))) return taint;
  }
  return undefined;
}

/** PreferNoSchedule taints the pod does not tolerate (only tolerations with that effect or none count). */
export function intolerablePreferNoSchedule(
  taints: Taint[] | undefined,
  tolerations: Toleration[] | undefined,
): number {
  const relevant = (tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  return (taints ?? []).filter(
    (taint) => taint.effect === 'PreferNoSchedule' && !relevant.some((t) => tolerates(t, taint)),
  ).length;
}
