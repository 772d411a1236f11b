// Which PID namespace a container joins, as the kubelet decides it: the pod's when it shares one
// (shareProcessNamespace), the target container's for an ephemeral container with targetContainerName (kubectl
// debug --target), else its own.
import type { SandboxPod } from '../driver.js';
import type { Container } from '../lifecycle/runtime.js';

export function pidNamespaceOf(
  pod: SandboxPod,
  container: Container,
): { pid: 'POD' | 'CONTAINER' | 'TARGET'; targetId?: string } {
  if (pod.pod.spec?.shareProcessNamespace) return { pid: 'POD' };
  const target: string | undefined = container.targetContainerName;
  if (!target) return { pid: 'CONTAINER' };
  const status = (pod.pod.status?.containerStatuses ?? []).find((s: any) => s?.name === target);
  const id: string | undefined = status?.state?.running ? status.containerID : undefined;
  if (!id) throw new Error(`target container "${target}" is not running`);
  return { pid: 'TARGET', targetId: id.replace(/^containerd:\/\//, '') };
}
