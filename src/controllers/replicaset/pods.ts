// What a controller reads from a pod: active (not finished, not being deleted), ready, available after
// minReadySeconds, and the pod a template makes (generateName `<owner>-`, template labels, controller ref).

import { controllerRefTo } from '../../client/owners.js';
import type { KubeObject } from '../../kube/api/types.js';

export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

function readyCondition(pod: KubeObject): { status?: string; lastTransitionTime?: string } | undefined {
  return (pod.status?.conditions ?? []).find((c: { type?: string }) => c.type === 'Ready');
}

export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** The time the pod became ready, in ms; 0 when not ready or unknown. */
export function podReadyTime(pod: KubeObject): number {
  if (!isPodReady(pod)) return 0;
  const time = readyCondition(pod)?.lastTransitionTime;
  return time ? Date.parse(time) : 0;
}

export function isPodAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const readySince = podReadyTime(pod);
  return readySince > 0 && readySince + minReadySeconds * 1000 < nowMs;
}

/** `controller.GetPodFromTemplate`: the pod a controller creates from its template. */
export function podFromTemplate(owner: KubeObject, template: KubeObject['spec']): KubeObject {
  const meta = template?.metadata ?? {};
  const prefix = `${owner.metadata.name}-`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: prefix.length <= 253 ? prefix : owner.metadata.name,
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRefTo(owner)],
    },
    spec: structuredClone(template?.spec ?? {}),
  };
}
