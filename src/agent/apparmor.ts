// AppArmor as the kubelet admits it (pkg/security/apparmor, kube 1.30+): a pod that asks for a profile other than
// Unconfined — `appArmorProfile` on the pod or a container, or the deprecated
// `container.apparmor.security.beta.kubernetes.io/<name>` annotation — is refused with reason AppArmor and
// "Cannot enforce AppArmor: …" when it cannot be enforced, never run without it. No sandbox driver of Skiff applies
// AppArmor profiles yet, so such a pod is always refused: with the kubelet's own text when the host's kernel has no
// AppArmor, else saying the driver does not apply it.
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../kube/api/types.js';

export const appArmorReason = 'AppArmor';
const annotationPrefix = 'container.apparmor.security.beta.kubernetes.io/';
const unconfinedAnnotation = 'unconfined';

const confines = (context: any): boolean =>
  context?.appArmorProfile != null && context.appArmorProfile.type !== 'Unconfined';

/** isRequired: whether the pod asks for any AppArmor profile other than Unconfined. */
export function requiresAppArmor(pod: KubeObject): boolean {
  const spec = pod.spec ?? {};
  if (confines(spec.securityContext)) return true;
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  if (containers.some((c: any) => confines(c?.securityContext))) return true;
  return Object.entries(pod.metadata.annotations ?? {}).some(
    ([key, value]) => key.startsWith(annotationPrefix) && value !== unconfinedAnnotation,
  );
}

/** Whether this host's kernel has AppArmor enabled (apparmor.IsEnabled). */
export function hostAppArmorEnabled(path = '/sys/module/apparmor/parameters/enabled'): boolean {
  try {
    return readFileSync(path, 'utf8').trim().startsWith('Y');
  } catch {
    return false;
  }
}

/** The kubelet's refusal of a pod whose AppArmor profile this host cannot enforce, or undefined. */
export function appArmorRefusal(
  pod: KubeObject,
  driverName: string,
  hostEnabled?: boolean,
): { reason: string; message: string } | undefined {
  if (!requiresAppArmor(pod)) return undefined;
  const why =
    (hostEnabled ?? hostAppArmorEnabled())
      ? `the ${driverName} sandbox driver does not apply AppArmor profiles`
      : 'AppArmor is not enabled on the host';
  return { reason: appArmorReason, message: `Cannot enforce AppArmor: ${why}` };
}
