// A container's securityContext as the kubelet hands it to the CRI (pod level, the container's own winning): run as
// user/group, supplemental groups plus fsGroup, read-only root filesystem, capabilities to add and drop, and
// no_new_privs when allowPrivilegeEscalation is false; and the kubelet's runAsNonRoot check against the image's user.
import type { SandboxPod } from '../driver.js';
import type { ContainerConfig } from '../engine/cri/types.js';
import type { Container } from '../lifecycle/runtime.js';

type CriSecurityContext = NonNullable<NonNullable<ContainerConfig['linux']>['securityContext']>;

const int = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);

/** The effective securityContext fields the runtime needs (container over pod, as DetermineEffectiveSecurityContext). */
export function effectiveSecurityContext(pod: SandboxPod, container: Container) {
  const podSc = pod.pod.spec?.securityContext ?? {};
  const sc = container.securityContext ?? {};
  return {
    runAsUser: int(sc.runAsUser) ?? int(podSc.runAsUser),
    runAsGroup: int(sc.runAsGroup) ?? int(podSc.runAsGroup),
    runAsNonRoot: (sc.runAsNonRoot ?? podSc.runAsNonRoot) as boolean | undefined,
    supplementalGroups: [
      ...(podSc.supplementalGroups ?? []),
      ...(int(podSc.fsGroup) !== undefined ? [podSc.fsGroup] : []),
    ]
      .map(int)
      .filter((g): g is number => g !== undefined),
    readOnlyRootFilesystem: Boolean(sc.readOnlyRootFilesystem),
    capabilities: sc.capabilities ?? {},
    allowPrivilegeEscalation: sc.allowPrivilegeEscalation as boolean | undefined,
  };
}

export function criSecurityContext(pod: SandboxPod, container: Container): Partial<CriSecurityContext> {
  const sc = effectiveSecurityContext(pod, container);
  const add: string[] = (sc.capabilities.add ?? []).map(String);
  const drop: string[] = (sc.capabilities.drop ?? []).map(String);
  return {
    ...(sc.runAsUser !== undefined ? { runAsUser: { value: sc.runAsUser } } : {}),
    ...(sc.runAsGroup !== undefined ? { runAsGroup: { value: sc.runAsGroup } } : {}),
    ...(sc.supplementalGroups.length ? { supplementalGroups: sc.supplementalGroups } : {}),
    ...(sc.readOnlyRootFilesystem ? { readonlyRootfs: true } : {}),
    ...(add.length || drop.length ? { capabilities: { addCapabilities: add, dropCapabilities: drop } } : {}),
    ...(sc.allowPrivilegeEscalation === false ? { noNewPrivs: true } : {}),
  };
}

/** The image's user as CRI ImageStatus gives it: a numeric uid, else a user name; neither means root. */
export interface ImageUser {
  uid?: number;
  username?: string;
}

/** The kubelet's verifyRunAsNonRoot: the CreateContainerConfigError message, or undefined when the container may run. */
export function runAsNonRootViolation(pod: SandboxPod, container: Container, image: ImageUser): string | undefined {
  const sc = effectiveSecurityContext(pod, container);
  if (!sc.runAsNonRoot) return undefined;
  const where = `(pod: "${pod.name}_${pod.namespace}(${pod.uid})", container: ${container.name})`;
  if (sc.runAsUser !== undefined) {
    return sc.runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  }
  if (image.uid === undefined && image.username) {
    return `container has runAsNonRoot and image has non-numeric user (${image.username}), cannot verify user is non-root ${where}`;
  }
  if ((image.uid ?? 0) === 0) return `container has runAsNonRoot and image will run as root ${where}`;
  return undefined;
}
