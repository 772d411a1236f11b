// A ReplicaSet's status from its owned active pods: replicas, fullyLabeledReplicas (all template labels
// present), readyReplicas, availableReplicas (ready for minReadySeconds), observedGeneration, ReplicaFailure.
import type { KubeObject } from '../../kube/api/types.js';
import { isPodAvailable, isPodReady } from './pods.js';

export interface Failure {
  reason: 'FailedCreate' | 'FailedDelete';
  error: any;
}

export function replicaSetStatus(rs: KubeObject, pods: KubeObject[], nowMs: number, failure?: Failure | false) {
  const templateLabels: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {};
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  const fullyLabeled = pods.filter((pod) =>
    Object.entries(templateLabels).every(([k, v]) => pod.metadata.labels?.[k] === v),
  );
  let conditions: any[] = (rs.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'ReplicaFailure');
  if (failure) {
    const previous = (rs.status?.conditions ?? []).find((c: { type: string }) => c.type === 'ReplicaFailure');
    conditions = [
      ...conditions,
      {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: previous?.lastTransitionTime ?? new Date(nowMs).toISOString().replace(/\.\d+Z$/, 'Z'),
        reason: failure.reason,
        message: String(failure.error?.message ?? failure.error),
      },
    ];
  }
  return {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled.length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((pod) => isPodAvailable(pod, minReadySeconds, nowMs)).length,
    observedGeneration: rs.metadata.generation ?? 0,
    ...(conditions.length ? { conditions } : {}),
  };
}

export function statusChanged(current: any, next: ReturnType<typeof replicaSetStatus>): boolean {
  const c = current ?? {};
  return (
    (c.replicas ?? 0) !== next.replicas ||
    (c.fullyLabeledReplicas ?? 0) !== next.fullyLabeledReplicas ||
    (c.readyReplicas ?? 0) !== next.readyReplicas ||
    (c.availableReplicas ?? 0) !== next.availableReplicas ||
    (c.observedGeneration ?? 0) !== next.observedGeneration ||
    JSON.stringify(c.conditions ?? []) !== JSON.stringify(next.conditions ?? [])
  );
}
