// Taints and tolerations as Kubernetes matches them (core/v1 Toleration.ToleratesTaint, FindMatchingUntoleratedTaint),
// shared by the default-scheduler and the DaemonSet controller: which taint of a node a pod does not tolerate, and
// how many PreferNoSchedule taints it would rather avoid.

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

/** `Toleration.ToleratesTaint`: an empty effect or key matches any; operator Exists ignores the value. */
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

/** The taints that keep a pod off a node: NoSchedule and NoExecute (the TaintToleration filter's choice). */
export const blocksScheduling = (taint: Taint): boolean =>
  taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';

/** The first taint passing `filter` that no toleration tolerates (`FindMatchingUntoleratedTaint`). */
export function untoleratedTaint(
  taints: Taint[] | undefined,
  tolerations: Toleration[] | undefined,
  filter: (taint: Taint) => boolean = blocksScheduling,
): Taint | undefined {
  return (taints ?? []).find((taint) => filter(taint) && !(tolerations ?? []).some((t) => tolerates(t, taint)));
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
