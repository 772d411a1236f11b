// Which changes a pod's spec accepts after creation, as kube-apiserver's ValidatePodUpdate allows them: container and
// init container images, activeDeadlineSeconds, added tolerations, and a negative grace period set to 1. Anything
// else is refused with its Forbidden cause, not silently dropped.
import { isDeepStrictEqual } from 'node:util';
import type { FieldCause } from '../api/errors.js';

const forbiddenMessage =
  'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** The spec with the fields an update may change taken out, as plain JSON (absent and undefined alike). */
function immutablePart(spec: any, old: any): unknown {
  const copy = JSON.parse(JSON.stringify(spec ?? {}));
  for (const list of ['containers', 'initContainers']) {
    for (const container of Array.isArray(copy[list]) ? copy[list] : []) {
      if (container && typeof container === 'object') delete container.image;
    }
  }
  delete copy.activeDeadlineSeconds;
  delete copy.ephemeralContainers;
  const oldTolerations: unknown[] = Array.isArray(old?.tolerations) ? old.tolerations : [];
  const tolerations: unknown[] = Array.isArray(copy.tolerations) ? copy.tolerations : [];
  if (oldTolerations.every((t) => tolerations.some((n) => isDeepStrictEqual(n, JSON.parse(JSON.stringify(t)))))) {
    delete copy.tolerations;
  }
  if ((old?.terminationGracePeriodSeconds ?? 0) < 0 && copy.terminationGracePeriodSeconds === 1) {
    delete copy.terminationGracePeriodSeconds;
  }
  return copy;
}

/** The cause refusing `next` over `old`, or undefined when only mutable fields changed. */
export function forbiddenPodSpecChange(next: unknown, old: unknown): FieldCause | undefined {
  if (isDeepStrictEqual(immutablePart(next, old), immutablePart(old, old))) return undefined;
  return { field: 'spec', reason: 'FieldValueForbidden', message: forbiddenMessage };
}
