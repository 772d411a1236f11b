// The `endpoints.kubernetes.io/last-change-trigger-time` bookkeeping (Kubernetes' TriggerTimeTracker): per
// service, the earliest pod-readiness or service-creation change not yet reflected in its endpoints.
import type { KubeObject } from '../../kube/api/types.js';

export const lastChangeTriggerTime = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState {
  podTimes: Map<string, number>;
  serviceTime: number;
}

function podTriggerTime(pod: KubeObject): number {
  const ready = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  return ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
}

/** Go's RFC3339Nano in UTC: fractional seconds only when non-zero, trailing zeros trimmed. */
export function formatTriggerTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}

export class TriggerTimeTracker {
  private states = new Map<string, ServiceState>();

  /** Returns the earliest change since the last call for this service (0 when none), and remembers the new state. */
  compute(service: KubeObject, pods: KubeObject[]): number {
    const key = `${service.metadata.namespace}/${service.metadata.name}`;
    const previous = this.states.get(key);
    const next: ServiceState = { podTimes: new Map(), serviceTime: 0 };
    let earliest = 0;
    const consider = (time: number) => {
      earliest = earliest === 0 ? time : Math.min(earliest, time);
    };
    for (const pod of pods) {
      const time = podTriggerTime(pod);
      if (!time) continue;
      next.podTimes.set(pod.metadata.name!, time);
      if (time > (previous?.podTimes.get(pod.metadata.name!) ?? 0)) consider(time);
    }
    const created = Date.parse(service.metadata.creationTimestamp ?? '') || 0;
    if (created > (previous?.serviceTime ?? 0)) consider(created);
    next.serviceTime = created;
    this.states.set(key, next);
    return earliest;
  }

  forget(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}

/** Sets (or, when there is no new trigger, removes) the annotation on a copy of `annotations`. */
export function withTriggerTime(annotations: Record<string, string> | undefined, time: number) {
  const next = { ...annotations };
  if (time) next[lastChangeTriggerTime] = formatTriggerTime(time);
  else delete next[lastChangeTriggerTime];
  return next;
}
