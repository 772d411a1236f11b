// Which container instance `kubectl logs` means, decided from the pod's status as the kubelet decides it
// (validateContainerLogStatus): the running one, else the last terminated one; with previous, the one before.
import type { KubeObject } from '../../kube/api/types.js';

export type LogTarget = { containerId: string } | { error: string; code: number };

export function logTarget(pod: KubeObject, container: string, previous: boolean): LogTarget {
  const podName = pod.metadata.name;
  const spec = pod.spec ?? {};
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  if (!all.some((c: any) => c?.name === container)) {
    return { code: 404, error: `container "${container}" not found in pod "${podName}"` };
  }
  const status = pod.status ?? {};
  const statuses = [
    ...(status.containerStatuses ?? []),
    ...(status.initContainerStatuses ?? []),
    ...(status.ephemeralContainerStatuses ?? []),
  ];
  const found = statuses.find((s: any) => s?.name === container);
  const fail = (text: string): LogTarget => ({
    code: 400,
    error: `container "${container}" in pod "${podName}" ${text}`,
  });
  if (!found) return fail('is not available');
  const last = found.lastState?.terminated;
  const { waiting, running, terminated } = found.state ?? {};
  if (previous) {
    if (!last?.containerID) {
      return { code: 400, error: `previous terminated container "${container}" in pod "${podName}" not found` };
    }
    return { containerId: last.containerID };
  }
  if (running) return found.containerID ? { containerId: found.containerID } : fail('is not available');
  if (terminated) {
    const id = terminated.containerID || last?.containerID;
    return id ? { containerId: id } : fail('is terminated');
  }
  if (last) return last.containerID ? { containerId: last.containerID } : fail('is terminated');
  if (waiting) {
    if (waiting.reason === 'ErrImagePull') return fail("is waiting to start: image can't be pulled");
    if (waiting.reason === 'ImagePullBackOff') return fail('is waiting to start: trying and failing to pull image');
    return fail(`is waiting to start: ${waiting.reason}`);
  }
  return fail('is waiting to start - no logs yet');
}
