// One pod's life inside its sandbox, as the kubelet leads it: boot the sandbox, run init containers in order (each to
// success), start the app containers one after another (each after its postStart hook), restart per restartPolicy
// with CrashLoopBackOff, probe (a failed liveness or startup probe kills the container), and on stop run preStop,
// send SIGTERM, SIGKILL at the end of the grace period, remove the sandbox — even while the pod is still starting.
// Exits carry the termination message. Every change is reported.
import { copyOf } from '../../kube/client/copy.js';
import type { ContainerUsage, SandboxEvent, SandboxListener, SandboxPod } from '../driver.js';
import type { BackOffOptions } from './backoff.js';
import {
  crashLoopBackOff,
  restarts,
  retire,
  type Slot,
  sleep,
  slotsOf,
  terminatedState,
  timestamp,
  unlessAborted,
  untilAborted,
} from './container.js';
import { newEphemeralSlots, startsNow } from './ephemeral.js';
import { runHook } from './hooks.js';
import { needsFailedEvent } from './launch-events.js';
import { probeGraceSeconds, startProbes, stopProbes } from './probes.js';
import {
  type ContainerExit,
  LaunchError,
  type RunningContainer,
  type SandboxRuntime,
  SandboxSetupError,
} from './runtime.js';
import { terminationMessage } from './termination-message.js';

const killed: ContainerExit = { exitCode: 137, signal: 9, reason: 'Error' };

export interface LifecycleOptions {
  backOff: BackOffOptions;
  /** Pause between a container's exit and the restart decision, like the kubelet's next pod sync. */
  resyncMs: number;
}

export class PodLifecycle {
  private initSlots: Slot[];
  private appSlots: Slot[];
  private ephemeralSlots: Slot[];
  private readonly run = new AbortController();
  private readonly kill = new AbortController();
  private killTimer?: NodeJS.Timeout;
  private killDeadline = Infinity;
  private sandboxReady = false;
  private loops = new Set<Promise<unknown>>();
  private stopping?: Promise<void>;
  private muted = false;

  constructor(
    private runtime: SandboxRuntime,
    private pod: SandboxPod,
    private listener: SandboxListener,
    private options: LifecycleOptions,
  ) {
    [this.initSlots, this.appSlots] = slotsOf(pod, options.backOff);
    this.ephemeralSlots = newEphemeralSlots(pod, [], options.backOff);
  }

  start(): void {
    this.track(this.runPod());
  }

  update(pod: SandboxPod): void {
    this.pod = pod;
    this.addEphemeralContainers();
  }

  /** Starts the ephemeral containers kubectl debug added (once the sandbox runs). */
  private addEphemeralContainers(): void {
    const added = newEphemeralSlots(this.pod, this.ephemeralSlots, this.options.backOff);
    this.ephemeralSlots.push(...added);
    if (!this.sandboxReady || this.run.signal.aborted) return;
    for (const slot of added.filter(startsNow)) this.track(this.containerLoop(slot));
    if (added.length) this.report();
  }

  /** Stops the pod within `graceSeconds` (a later, shorter grace period wins); resolves once the sandbox is gone. */
  stop(graceSeconds: number): Promise<void> {
    const deadline = Date.now() + Math.max(0, graceSeconds) * 1000;
    if (deadline < this.killDeadline) {
      this.killDeadline = deadline;
      clearTimeout(this.killTimer);
      if (graceSeconds <= 0) this.kill.abort();
      else this.killTimer = setTimeout(() => this.kill.abort(), deadline - Date.now());
    }
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  /** Drops everything at once without reporting (the driver is closing). */
  close(): void {
    this.muted = true;
    this.run.abort();
    this.kill.abort();
    clearTimeout(this.killTimer);
    for (const slot of this.slots()) stopProbes(slot);
  }

  async usage(): Promise<ContainerUsage[]> {
    const running = this.slots().flatMap((s) => (s.running ? [{ container: s.spec, running: s.running }] : []));
    return running.length ? this.runtime.usage(this.pod, running) : [];
  }

  /** The running container instance with this ID, if any (a followed log ends when it exits). */
  runningInstance(id: string): RunningContainer | undefined {
    return this.slots().find((s) => s.running?.id === id)?.running;
  }

  private slots(): Slot[] {
    return [...this.initSlots, ...this.appSlots, ...this.ephemeralSlots];
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.loops.add(promise);
    promise.catch(() => {}).finally(() => this.loops.delete(promise));
    return promise;
  }

  private report(): void {
    if (this.muted) return;
    this.listener.status(
      copyOf({
        sandboxReady: this.sandboxReady,
        initContainerStatuses: this.initSlots.map((s) => s.status),
        containerStatuses: this.appSlots.map((s) => s.status),
        ephemeralContainerStatuses: this.ephemeralSlots.map((s) => s.status),
      }),
    );
  }

  private emit(event: SandboxEvent, slot?: Slot): void {
    if (this.muted) return;
    this.listener.event(slot ? { ...event, container: { name: slot.spec.name, init: slot.init } } : event);
  }

  private async runPod(): Promise<void> {
    const signal = this.run.signal;
    this.report();
    for (;;) {
      try {
        await this.runtime.runSandbox(this.pod, signal);
        break;
      } catch (error: any) {
        if (signal.aborted) return;
        const message = `Failed to create pod sandbox: ${error?.message ?? error}`;
        this.emit(
          error instanceof SandboxSetupError
            ? error.event
            : { type: 'Warning', reason: 'FailedCreatePodSandBox', message },
        );
        await sleep(this.options.backOff.baseMs, signal);
      }
    }
    if (signal.aborted) return;
    this.sandboxReady = true;
    this.report();
    for (const slot of this.initSlots) {
      if (slot.sidecar) {
        this.track(this.containerLoop(slot));
        await slot.launched;
      } else if (!(await this.containerLoop(slot))) return;
      if (signal.aborted) return;
    }
    for (const slot of this.appSlots) {
      this.track(this.containerLoop(slot));
      await slot.launched;
      if (signal.aborted) return;
    }
    for (const slot of this.ephemeralSlots.filter(startsNow)) this.track(this.containerLoop(slot));
  }

  /** Runs one container until it needs no restart; true when an init container has succeeded. */
  private async containerLoop(slot: Slot): Promise<boolean> {
    const signal = this.run.signal;
    try {
      for (;;) {
        if (signal.aborted) return false;
        try {
          if (!(await this.launch(slot, signal))) return false;
        } catch (error) {
          if (signal.aborted) return false;
          await this.launchFailed(slot, error, signal);
          continue;
        }
        const exit = await unlessAborted(slot.running!.exited, signal);
        if (!exit) return false;
        await this.exited(slot, exit);
        if (slot.init && !slot.sidecar && exit.exitCode === 0) return true;
        if (signal.aborted || !restarts(slot, this.pod.pod.spec?.restartPolicy, exit)) return false;
        await sleep(this.options.resyncMs, signal);
        if (signal.aborted) return false;
        const delay = slot.backOff.delayAfter(slot.finishedAt);
        if (delay > 0) {
          this.emit(crashLoopBackOff(slot, this.pod), slot);
          this.report();
          await sleep(delay, signal);
          if (signal.aborted) return false;
        }
        slot.backOff.next(slot.finishedAt);
      }
    } finally {
      slot.markLaunched();
    }
  }

  /** Pulls, creates and starts the container; false when stopped on the way. */
  private async launch(slot: Slot, signal: AbortSignal): Promise<boolean> {
    const { spec } = slot;
    const image = await this.runtime.ensureImage(this.pod, spec, (event) => this.emit(event, slot), signal);
    if (signal.aborted) return false;
    const attempt = slot.hasRun ? slot.status.restartCount + 1 : slot.status.restartCount;
    const id = await this.runtime.createContainer(this.pod, spec, attempt, signal);
    if (signal.aborted) return false;
    this.emit({ type: 'Normal', reason: 'Created', message: `Created container: ${spec.name}` }, slot);
    const running = await this.runtime.startContainer(this.pod, spec, id, signal);
    slot.killing = undefined;
    retire(slot);
    slot.status.restartCount = attempt;
    slot.hasRun = true;
    slot.running = running;
    Object.assign(slot.status, {
      image: image.image,
      imageID: image.imageID,
      containerID: id,
      state: { running: { startedAt: timestamp(running.startedAt) } },
      ready: false,
      started: false,
    });
    this.emit({ type: 'Normal', reason: 'Started', message: `Started container ${spec.name}` }, slot);
    this.report();
    // The next container starts only once this one's postStart hook has run, as the kubelet's do.
    const postStart = spec.lifecycle?.postStart;
    const failed = postStart && (await runHook(this.runtime, this.pod, spec, running, postStart, signal));
    if (failed && slot.running === running && !signal.aborted) {
      this.emit({ type: 'Warning', reason: 'FailedPostStartHook', message: failed }, slot);
      this.killInstance(slot, running, 'FailedPostStartHook', this.podGraceSeconds());
    } else if (slot.running === running) {
      startProbes(slot, running, {
        runtime: this.runtime,
        pod: () => this.pod,
        changed: () => this.report(),
        emit: (event) => this.emit(event, slot),
        failed: (kind) => this.killForProbe(slot, running, kind),
      });
    }
    slot.markLaunched();
    this.report();
    return !signal.aborted;
  }

  private async launchFailed(slot: Slot, error: unknown, signal: AbortSignal): Promise<void> {
    const failure =
      error instanceof LaunchError
        ? error
        : new LaunchError('CreateContainerError', (error as Error)?.message ?? String(error));
    const generic = { type: 'Warning', reason: 'Failed', message: `Error: ${failure.message}` } as const;
    const event = failure.failedEvent ?? (needsFailedEvent(error) ? generic : undefined);
    if (event) this.emit(event, slot);
    retire(slot);
    slot.status.state = { waiting: { reason: failure.reason, message: failure.message } };
    slot.markLaunched();
    this.report();
    await sleep(this.options.resyncMs, signal);
    slot.pullBackOff.next(Date.now());
    if (failure.backOffReason) {
      const message = failure.backOffEvent?.message ?? failure.message;
      slot.status.state = { waiting: { reason: failure.backOffReason, message } };
      if (failure.backOffEvent) this.emit(failure.backOffEvent, slot);
      this.report();
    }
    await sleep(slot.pullBackOff.current, signal);
  }

  private async exited(slot: Slot, exit: ContainerExit): Promise<void> {
    const finished = new Date();
    const startedAt = slot.running?.startedAt;
    stopProbes(slot);
    slot.running = undefined;
    const message = await terminationMessage(this.runtime, this.pod, slot.spec, slot.status.containerID, exit);
    slot.finishedAt = finished.getTime();
    slot.status.state = terminatedState(slot, { ...exit, message }, startedAt, finished);
    slot.status.ready = slot.init && !slot.sidecar && exit.exitCode === 0;
    slot.status.started = false;
    slot.running = undefined;
    this.report();
  }

  private async terminate(): Promise<void> {
    this.run.abort();
    // A sandbox or container still being made is waited for only until the grace period is over; what it makes
    // after that is removed as soon as the runtime's call returns, so a pod deleted while starting still goes.
    const launching = Promise.allSettled([...this.loops]);
    await Promise.race([launching, untilAborted(this.kill.signal)]);
    const regular = this.slots().filter((s) => s.running && !s.sidecar);
    await Promise.all(regular.map((s) => this.stopContainer(s)));
    for (const slot of this.initSlots.filter((s) => s.running && s.sidecar).reverse()) await this.stopContainer(slot);
    clearTimeout(this.killTimer);
    await this.runtime.removeSandbox(this.pod).catch(() => {});
    this.sandboxReady = false;
    this.report();
    if (this.loops.size) void launching.then(() => this.removeLate());
  }

  /** Kills what a launch still in flight at the end of the grace period started, and removes its sandbox. */
  private async removeLate(): Promise<void> {
    for (const slot of this.slots()) if (slot.running) await this.stopContainer(slot);
    await this.runtime.removeSandbox(this.pod).catch(() => {});
  }

  private async stopContainer(slot: Slot): Promise<void> {
    const running = slot.running!;
    const message = `Stopping container ${slot.spec.name}`;
    // A container already being killed (a failed liveness probe) is not given its preStop hook a second time.
    const exit = slot.killing
      ? await this.runtime.stopContainer(this.pod, slot.spec, running, this.kill.signal).catch(() => killed)
      : await this.stopInstance(slot, running, message, this.kill.signal);
    if (slot.running === running) await this.exited(slot, exit);
  }

  /** The container failed its liveness or startup probe: kill it; the container loop restarts it per policy. */
  private killForProbe(slot: Slot, running: RunningContainer, kind: 'liveness' | 'startup'): void {
    const restart = (this.pod.pod.spec?.restartPolicy ?? 'Always') !== 'Never';
    const message = `Container ${slot.spec.name} failed ${kind} probe${restart ? ', will be restarted' : ''}`;
    this.killInstance(slot, running, message, probeGraceSeconds(slot, this.pod, kind));
  }

  /** Kills one instance while the pod runs on (its exit reaches the container loop like any other). */
  private killInstance(slot: Slot, running: RunningContainer, message: string, graceSeconds: number): void {
    if (slot.killing || slot.running !== running) return;
    const own = new AbortController();
    const timer = setTimeout(() => own.abort(), graceSeconds * 1000);
    timer.unref?.();
    const kill = AbortSignal.any([own.signal, this.kill.signal]);
    const killing = this.stopInstance(slot, running, message, kill).finally(() => {
      clearTimeout(timer);
      if (slot.killing === killing) slot.killing = undefined;
    });
    slot.killing = killing;
  }

  /** Killing event, preStop hook within the grace period (`kill` aborts at its end), then SIGTERM and SIGKILL. */
  private async stopInstance(
    slot: Slot,
    running: RunningContainer,
    message: string,
    kill: AbortSignal,
  ): Promise<ContainerExit> {
    stopProbes(slot);
    slot.status.ready = false;
    this.emit({ type: 'Normal', reason: 'Killing', message }, slot);
    this.report();
    const preStop = slot.spec.lifecycle?.preStop;
    if (preStop && !kill.aborted) {
      const hook = runHook(this.runtime, this.pod, slot.spec, running, preStop, kill);
      const failed = await Promise.race([hook, untilAborted(kill).then(() => undefined)]);
      if (failed) this.emit({ type: 'Warning', reason: 'FailedPreStopHook', message: failed }, slot);
    }
    return this.runtime.stopContainer(this.pod, slot.spec, running, kill).catch(() => killed);
  }

  private podGraceSeconds(): number {
    const grace = this.pod.pod.spec?.terminationGracePeriodSeconds;
    return typeof grace === 'number' && grace >= 0 ? grace : 30;
  }
}
