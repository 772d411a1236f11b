// Which seccomp profile a container runs under, as the kubelet decides it (getSeccompProfile): the container's
// securityContext.seccompProfile, else the pod's, else Unconfined (the kubelet's SeccompDefault is off, as on EKS).
// Localhost profiles are JSON files under the agent's seccomp root (the kubelet's `<root-dir>/seccomp`: `D/seccomp`).
import { join, normalize } from 'node:path';
import type { SandboxPod } from '../driver.js';
import type { SecurityProfile } from '../engine/cri/types.js';
import type { Container } from '../lifecycle/runtime.js';

/** The profile to install, or the kubelet's CreateContainerConfigError message when none can be chosen. */
export function seccompProfileOf(
  pod: SandboxPod,
  container: Container,
  profileRoot: string,
): SecurityProfile | { error: string } {
  const field = container.securityContext?.seccompProfile ?? pod.pod.spec?.securityContext?.seccompProfile;
  if (!field) return { profileType: 'Unconfined' };
  if (field.type === 'RuntimeDefault') return { profileType: 'RuntimeDefault' };
  if (field.type !== 'Localhost') return { profileType: 'Unconfined' };
  const name = typeof field.localhostProfile === 'string' ? field.localhostProfile : '';
  if (!name) return { error: 'localhostProfile must be set if seccompProfile type is Localhost.' };
  const path = normalize(join(profileRoot, name));
  if (!path.startsWith(`${normalize(profileRoot)}/`)) {
    return { error: `localhostProfile ${JSON.stringify(name)} must be a descending path under ${profileRoot}` };
  }
  return { profileType: 'Localhost', localhostRef: path };
}
