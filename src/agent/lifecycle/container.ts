// One container's place in a pod's lifecycle: its spec, its API-shaped status, the running instance, its back-offs;
// plus the small waiting helpers (abortable sleep, race against abort) the lifecycle uses.
import type { ContainerStatus, SandboxEvent, SandboxPod } from '../driver.js';
import { goDuration } from '../engine/images/events.js';
import { type BackOffOptions, RestartBackOff } from './backoff.js';
import type { Container, ContainerExit, RunningContainer } from './runtime.js';

export interface Slot {
  spec: Container;
  init: boolean;
  /** An init container with restartPolicy Always: starts in order, then runs beside the app containers. */
  sidecar: boolean;
  /** An ephemeral container (kubectl debug): runs once, never restarted. */
  ephemeral?: boolean;
  status: ContainerStatus;
  running?: RunningContainer;
  /** Some instance of this container has run before (the next start is a restart). */
  hasRun: boolean;
  finishedAt: number;
  backOff: RestartBackOff;
  pullBackOff: RestartBackOff;
  /** The running instance is being killed (failed liveness probe or postStart hook); resolves with its exit. */
  killing?: Promise<ContainerExit>;
  /** The running instance's probe workers. */
  probes?: { stop(): void };
  /** Resolves at the first launch, successful or not (the next container may then start). */
  launched: Promise<void>;
  markLaunched: () => void;
}

export const timestamp = (date: Date) => date.toISOString().replace(/\.\d+Z$/, 'Z');

export function newSlot(
  spec: Container,
  init: boolean,
  waitingReason: string,
  backOff: BackOffOptions,
  previous?: ContainerStatus,
): Slot {
  let markLaunched = () => {};
  const launched = new Promise<void>((resolve) => {
    markLaunched = resolve;
  });
  const ran = Boolean(previous && ('running' in previous.state || 'terminated' in previous.state));
  return {
    spec,
    init,
    sidecar: init && spec.restartPolicy === 'Always',
    status: {
      name: spec.name,
      state: { waiting: { reason: waitingReason } },
      lastState: previous && 'terminated' in previous.state ? previous.state : (previous?.lastState ?? {}),
      ready: false,
      restartCount: previous?.restartCount ?? 0,
      image: spec.image,
      imageID: '',
      started: false,
    },
    hasRun: ran || (previous?.restartCount ?? 0) > 0,
    finishedAt: 0,
    backOff: new RestartBackOff(backOff),
    pullBackOff: new RestartBackOff(backOff),
    launched,
    markLaunched,
  };
}

/** The pod's init and app containers, picking up restart counts from the status the pod already has. */
export function slotsOf(pod: SandboxPod, backOff: BackOffOptions): [Slot[], Slot[]] {
  const spec = pod.pod.spec ?? {};
  const status = pod.pod.status ?? {};
  const waiting = spec.initContainers?.length ? 'PodInitializing' : 'ContainerCreating';
  const previous = (list: any[] | undefined, name: string) => list?.find((s) => s.name === name);
  return [
    (spec.initContainers ?? []).map((c: any) =>
      newSlot(c, true, waiting, backOff, previous(status.initContainerStatuses, c.name)),
    ),
    (spec.containers ?? []).map((c: any) =>
      newSlot(c, false, waiting, backOff, previous(status.containerStatuses, c.name)),
    ),
  ];
}

/** A terminated state moves to lastState when the container waits again or restarts. */
export function retire(slot: Slot): void {
  if ('terminated' in slot.status.state) slot.status.lastState = slot.status.state;
}

export function terminatedState(slot: Slot, exit: ContainerExit, startedAt: Date | undefined, finishedAt: Date) {
  return {
    terminated: {
      exitCode: exit.exitCode,
      ...(exit.signal ? { signal: exit.signal } : {}),
      reason: exit.reason ?? (exit.exitCode === 0 ? 'Completed' : 'Error'),
      ...(exit.message ? { message: exit.message } : {}),
      ...(startedAt ? { startedAt: timestamp(startedAt) } : {}),
      finishedAt: timestamp(finishedAt),
      ...(slot.status.containerID ? { containerID: slot.status.containerID } : {}),
    },
  };
}

/** Whether the container runs again after `exit`, per the pod's restartPolicy (sidecars always do). */
export function restarts(slot: Slot, policy: string | undefined, exit: ContainerExit): boolean {
  if (slot.sidecar) return true;
  if (slot.ephemeral) return false;
  if (slot.init) return policy !== 'Never';
  return (policy ?? 'Always') === 'Always' || (policy === 'OnFailure' && exit.exitCode !== 0);
}

/** Puts the container in CrashLoopBackOff (kubelet's waiting message) and returns the BackOff event. */
export function crashLoopBackOff(slot: Slot, pod: SandboxPod): SandboxEvent {
  retire(slot);
  const name = slot.spec.name;
  const ref = `${pod.name}_${pod.namespace}(${pod.uid})`;
  const message = `back-off ${goDuration(slot.backOff.current)} restarting failed container=${name} pod=${ref}`;
  slot.status.state = { waiting: { reason: 'CrashLoopBackOff', message } };
  return { type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${name} in pod ${ref}` };
}

/** Waits `ms`, or less if `signal` aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref?.();
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Resolves when `signal` aborts. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** The promise's value, or undefined if `signal` aborts first. */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
