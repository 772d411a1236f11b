// What the Fargate mutation writes on a captured pod (reference §3.3): the fargate-scheduler, the profile label,
// the system-node-critical priority (class and its value, as the Priority admission would resolve it), the
// Logging annotation. Also how the profile controller recognises a captured pod afterwards.
import { profileLabel } from '../../fargate/matching.js';
import type { KubeObject } from '../../kube/api/types.js';

export { fargateSchedulerName } from '../../fargate/naming.js';

import { fargateSchedulerName } from '../../fargate/naming.js';
export const fargatePriorityClassName = 'system-node-critical';
/** The value of the built-in `system-node-critical` PriorityClass (src/kube/bootstrap.ts). */
export const fargatePriority = 2000001000;
export const loggingAnnotation = 'Logging';

export function capturePod(pod: KubeObject, profile: string, logging: string): void {
  pod.metadata.labels = { ...pod.metadata.labels, [profileLabel]: profile };
  pod.metadata.annotations = { ...pod.metadata.annotations, [loggingAnnotation]: logging };
  pod.spec ??= {};
  pod.spec.schedulerName = fargateSchedulerName;
  pod.spec.priorityClassName = fargatePriorityClassName;
  pod.spec.priority = fargatePriority;
}

/** The profile a pod was captured by at its creation, or undefined for a pod Fargate does not run. */
export function capturingProfile(pod: KubeObject): string | undefined {
  if (pod.spec?.schedulerName !== fargateSchedulerName) return undefined;
  return pod.metadata.labels?.[profileLabel];
}
