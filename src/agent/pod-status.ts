// A pod's status as the kubelet computes it from its containers: the phase (kubelet getPhase, init containers
// first), the five kubelet conditions with transition times, addresses, start time and QoS class.
import type { KubeObject } from '../kube/api/types.js';
import type { ContainerStatus, SandboxStatus } from './driver.js';

export interface PodFacts {
  hostIP?: string;
  podIP?: string;
  startTime: string;
  /** Every container was stopped for good (the pod is being deleted): no restart will follow. */
  stopped: boolean;
  now: string;
}

export const kubeletConditionTypes = [
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
  'PodScheduled',
] as const;

const isSidecar = (c: any) => c.restartPolicy === 'Always';
const terminated = (s?: ContainerStatus) => (s && 'terminated' in s.state ? s.state.terminated : undefined);
const lastTerminated = (s?: ContainerStatus) =>
  s && 'terminated' in s.lastState ? (s.lastState as any).terminated : undefined;
const byName = (list: ContainerStatus[], name: string) => list.find((s) => s.name === name);

/** The statuses before the driver reports: every container waiting to be created. */
export function waitingSandbox(pod: KubeObject): SandboxStatus {
  const spec = pod.spec ?? {};
  const reason = spec.initContainers?.length ? 'PodInitializing' : 'ContainerCreating';
  const waiting = (c: any): ContainerStatus => ({
    name: c.name,
    state: { waiting: { reason } },
    lastState: {},
    ready: false,
    restartCount: 0,
    image: c.image,
    imageID: '',
    started: false,
  });
  return {
    sandboxReady: false,
    initContainerStatuses: (spec.initContainers ?? []).map(waiting),
    containerStatuses: (spec.containers ?? []).map(waiting),
  };
}

/** Init containers not yet done: a regular one until it exits 0, a sidecar until it has started. */
function incompleteInit(pod: KubeObject, sandbox: SandboxStatus): string[] {
  return (pod.spec?.initContainers ?? [])
    .filter((c: any) => {
      const s = byName(sandbox.initContainerStatuses, c.name);
      if (isSidecar(c)) return !(s && 'running' in s.state && s.started !== false);
      return terminated(s)?.exitCode !== 0;
    })
    .map((c: any) => c.name);
}

export function podPhase(pod: KubeObject, sandbox: SandboxStatus, stopped: boolean): string {
  const spec = pod.spec ?? {};
  const policy = spec.restartPolicy ?? 'Always';
  if (incompleteInit(pod, sandbox).length > 0) {
    const failed = (spec.initContainers ?? []).some((c: any) => {
      const s = byName(sandbox.initContainerStatuses, c.name);
      const exit = terminated(s) ?? lastTerminated(s);
      return !isSidecar(c) && exit && exit.exitCode !== 0;
    });
    if ((failed && policy === 'Never') || stopped) return 'Failed';
    return 'Pending';
  }
  let running = 0;
  let waiting = 0;
  let stoppedCount = 0;
  let succeeded = 0;
  for (const c of spec.containers ?? []) {
    const s = byName(sandbox.containerStatuses, c.name);
    if (!s) return 'Pending';
    if ('running' in s.state) running++;
    else if ('terminated' in s.state) {
      stoppedCount++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (lastTerminated(s)) stoppedCount++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stoppedCount === 0) return 'Pending';
  if (stopped) return stoppedCount === succeeded ? 'Succeeded' : 'Failed';
  if (policy === 'Always') return 'Running';
  if (stoppedCount === succeeded) return 'Succeeded';
  return policy === 'Never' ? 'Failed' : 'Running';
}

type Condition = { type: string; status: string; reason?: string; message?: string };

function kubeletConditions(pod: KubeObject, sandbox: SandboxStatus, phase: string): Condition[] {
  const spec = pod.spec ?? {};
  const list = (names: string[]) => `[${names.join(' ')}]`;
  const incomplete = incompleteInit(pod, sandbox);
  const initialized: Condition =
    phase === 'Succeeded'
      ? { type: 'Initialized', status: 'True', reason: 'PodCompleted' }
      : incomplete.length
        ? {
            type: 'Initialized',
            status: 'False',
            reason: 'ContainersNotInitialized',
            message: `containers with incomplete status: ${list(incomplete)}`,
          }
        : { type: 'Initialized', status: 'True' };
  const watched: [string, ContainerStatus | undefined][] = [
    ...(spec.initContainers ?? [])
      .filter(isSidecar)
      .map((c: any): [string, ContainerStatus | undefined] => [c.name, byName(sandbox.initContainerStatuses, c.name)]),
    ...(spec.containers ?? []).map((c: any): [string, ContainerStatus | undefined] => [
      c.name,
      byName(sandbox.containerStatuses, c.name),
    ]),
  ];
  const unready = watched.filter(([, s]) => !s?.ready).map(([name]) => name);
  let containersReady: Condition;
  if (phase === 'Succeeded' || phase === 'Failed') {
    containersReady = {
      type: 'ContainersReady',
      status: 'False',
      reason: phase === 'Failed' ? 'PodFailed' : 'PodCompleted',
    };
  } else if (unready.length) {
    const message = `containers with unready status: ${list(unready)}`;
    containersReady = { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message };
  } else containersReady = { type: 'ContainersReady', status: 'True' };
  let ready: Condition = { ...containersReady, type: 'Ready' };
  if (ready.status === 'True') {
    const missing = (spec.readinessGates ?? [])
      .map((g: any) => g.conditionType)
      .filter((t: string) => !(pod.status?.conditions ?? []).some((c: any) => c.type === t && c.status === 'True'));
    if (missing.length) {
      const message = `corresponding condition of pod readiness gate "${missing[0]}" does not exist.`;
      ready = { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message };
    }
  }
  return [
    { type: 'PodReadyToStartContainers', status: sandbox.sandboxReady ? 'True' : 'False' },
    initialized,
    ready,
    containersReady,
  ];
}

/** Conditions with transition times carried over while the status stays; others' conditions kept. */
export function podConditions(pod: KubeObject, sandbox: SandboxStatus, phase: string, previous: any[], now: string) {
  const computed = kubeletConditions(pod, sandbox, phase).map((c) => {
    const before = previous.find((p) => p.type === c.type);
    const since = before && before.status === c.status ? before.lastTransitionTime : now;
    return { ...c, lastProbeTime: null, lastTransitionTime: since };
  });
  const scheduled = previous.find((p) => p.type === 'PodScheduled') ?? {
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: now,
  };
  const foreign = (pod.status?.conditions ?? []).filter((c: any) => !kubeletConditionTypes.includes(c.type));
  return [...computed, scheduled, ...foreign];
}

export function podStatusOf(
  pod: KubeObject,
  sandbox: SandboxStatus,
  phase: string,
  conditions: any[],
  facts: PodFacts,
) {
  const status: Record<string, unknown> = { phase, conditions };
  if (facts.hostIP) Object.assign(status, { hostIP: facts.hostIP, hostIPs: [{ ip: facts.hostIP }] });
  if (facts.podIP) Object.assign(status, { podIP: facts.podIP, podIPs: [{ ip: facts.podIP }] });
  status.startTime = facts.startTime;
  if (pod.spec?.initContainers?.length) status.initContainerStatuses = sandbox.initContainerStatuses;
  status.containerStatuses = sandbox.containerStatuses;
  if (pod.spec?.ephemeralContainers?.length)
    status.ephemeralContainerStatuses = sandbox.ephemeralContainerStatuses ?? [];
  // The API server sets the QoS class at create; the kubelet only carries it.
  status.qosClass = pod.status?.qosClass;
  return status;
}

const unknownAtTermination = {
  terminated: {
    exitCode: 137,
    reason: 'ContainerStatusUnknown',
    message: 'The container could not be located when the pod was terminated',
  },
};

const startedOnce = (s: any) => !!(s?.state?.running || s?.state?.terminated || s?.lastState?.terminated);

/**
 * The status manager's TerminatePod, for a pod the kubelet itself ends (activeDeadlineSeconds): once the pod has
 * initialized, every container not terminated is reported terminated with ContainerStatusUnknown (exit 137: whether
 * it succeeded is not known); of the init containers, those up to the last one with any sign of a start are.
 */
export function terminatedStatuses(status: any): any {
  const initialized = (status.conditions ?? []).some((c: any) => c?.type === 'Initialized' && c.status === 'True');
  const settle = (s: any) =>
    s.state?.terminated ? s : { ...s, ready: false, started: false, state: unknownAtTermination };
  const result = { ...status };
  if (initialized && status.containerStatuses) result.containerStatuses = status.containerStatuses.map(settle);
  const init: any[] = status.initContainerStatuses ?? [];
  const lastStarted = init.findLastIndex(startedOnce);
  if (lastStarted >= 0) result.initContainerStatuses = init.map((s, i) => (i <= lastStarted ? settle(s) : s));
  return result;
}
