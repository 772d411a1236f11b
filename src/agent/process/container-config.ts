// The CRI ContainerConfig of one of a pod's containers, as the kubelet builds it: command and args (containerd merges
// them with the image's entrypoint and cmd), env with the downward-API fields resolved, working dir, cgroup limits,
// the kubelet's labels, and the log path `<container>/<attempt>.log` under the sandbox's log directory.
import type { ContainerSetup } from '../contract/contract.js';
import { expand } from '../contract/env.js';
import { podFieldValue } from '../contract/fields.js';
import type { SandboxPod } from '../driver.js';
import type { ContainerConfig } from '../engine/cri/types.js';
import type { Container } from '../lifecycle/runtime.js';
import { pidNamespaceOf } from './pid-namespace.js';
import { containerLimits, type PodSize } from './resources.js';
import { criSecurityContext } from './security-context.js';
import { terminationLogMounts } from './termination-log.js';

/** A container's env from its own spec alone (values, downward fields): what runs without the pod contract. */
export function envOf(pod: SandboxPod, container: Container): { key: string; value: string }[] {
  const vars = new Map<string, string>();
  for (const entry of container.env ?? []) {
    if (typeof entry?.name !== 'string') continue;
    let value: string | undefined;
    if (typeof entry.value === 'string') value = expand(entry.value, (name) => vars.get(name));
    else if (entry.valueFrom?.fieldRef?.fieldPath) value = podFieldValue(pod, entry.valueFrom.fieldRef.fieldPath);
    else if (entry.value === undefined && !entry.valueFrom) value = '';
    if (value !== undefined) vars.set(entry.name, value);
  }
  return [...vars].map(([key, value]) => ({ key, value }));
}

export function containerConfig(
  pod: SandboxPod,
  container: Container,
  attempt: number,
  image: string,
  podSize?: PodSize,
  contract?: ContainerSetup,
  /** Where per-pod host files live (D/sandboxes): the termination log is kept there. */
  sandboxesDir?: string,
): ContainerConfig {
  const env = contract?.envs ?? envOf(pod, container);
  const vars = new Map(env.map((e) => [e.key, e.value]));
  const strings = (list: unknown) =>
    Array.isArray(list) ? list.map((s) => expand(String(s), (name) => vars.get(name))) : undefined;
  return {
    metadata: { name: container.name, attempt },
    image: { image },
    command: strings(container.command),
    args: strings(container.args),
    workingDir: typeof container.workingDir === 'string' ? container.workingDir : undefined,
    envs: env,
    mounts: [...(contract?.mounts ?? []), ...terminationLogMounts(sandboxesDir, pod, container, attempt)],
    labels: {
      'io.kubernetes.container.name': container.name,
      'io.kubernetes.pod.name': pod.name,
      'io.kubernetes.pod.namespace': pod.namespace,
      'io.kubernetes.pod.uid': pod.uid,
    },
    annotations: {
      'io.kubernetes.container.restartCount': String(attempt),
      'io.kubernetes.container.terminationMessagePath': container.terminationMessagePath ?? '/dev/termination-log',
    },
    logPath: `${container.name}/${attempt}.log`,
    stdin: Boolean(container.stdin),
    stdinOnce: Boolean(container.stdinOnce),
    tty: Boolean(container.tty),
    linux: {
      resources: containerLimits(container, podSize),
      securityContext: {
        ...criSecurityContext(pod, container),
        ...(contract?.privileged ? { privileged: true } : {}),
        // The pod's network and IPC (the node's with hostNetwork/hostIPC); the node's PID namespace with hostPID,
        // else as pid-namespace.ts decides.
        namespaceOptions: {
          network: pod.pod.spec?.hostNetwork ? 'NODE' : 'POD',
          ipc: pod.pod.spec?.hostIPC ? 'NODE' : 'POD',
          ...(pod.pod.spec?.hostPID ? { pid: 'NODE' } : pidNamespaceOf(pod, container)),
        },
      },
    },
  };
}
