// The simulated container primitives, KWOK-style: no process runs; timers stand for booting, pulling, creating and
// starting, a container "exits" when its known-finite command would, and stopping honours whether PID 1 handles
// SIGTERM. What it prints (known commands' output, well-known images' banners) is written to an in-memory log at the
// moment it would be. Usage comes from the pod's skiff.io/simulated-cpu / -memory annotations.
import { randomBytes } from 'node:crypto';
import { parseQuantity } from '../../fargate/quantity.js';
import type { ContainerLogOptions, ContainerLogRef, ContainerUsage, SandboxEvent, SandboxPod } from '../driver.js';
import { sleep } from '../lifecycle/container.js';
import type {
  Container,
  ContainerExit,
  ImageRef,
  ProbeKind,
  RunningContainer,
  SandboxRuntime,
} from '../lifecycle/runtime.js';
import { bannerOf, nginxTime, nginxTimeMark } from './banners.js';
import { type Program, programOf } from './commands.js';
import { SimulatedImages } from './images.js';
import { LogStore } from './log-store.js';
import { type OutputLine, renderLine } from './printed.js';
import type { SimulatedTimings } from './timings.js';

export const cpuAnnotation = 'skiff.io/simulated-cpu';
export const memoryAnnotation = 'skiff.io/simulated-memory';
/** Container IDs name the runtime, as `containerd://` does for a real one. */
export const simulatedIdPrefix = 'simulated://';

interface Process {
  program: Program;
  podUid: string;
  timers: Set<NodeJS.Timeout>;
  finish(exit: ContainerExit): void;
}

function quantityOr(value: unknown, fallback: string): string {
  if (typeof value !== 'string') return fallback;
  try {
    parseQuantity(value);
    return value.trim();
  } catch {
    return fallback;
  }
}

/** How early a Node timer may fire, measured by Date.now(). */
const timerSlackMs = 5;

export class SimulatedRuntime implements SandboxRuntime {
  private processes = new Map<string, Process>();
  private images: SimulatedImages;
  private logStore = new LogStore();
  /** The instances of each container (pod uid/name), newest last: only the current and previous keep logs. */
  private instances = new Map<string, string[]>();

  constructor(private timings: SimulatedTimings) {
    this.images = new SimulatedImages(timings);
  }

  logs(ref: ContainerLogRef, options: ContainerLogOptions): AsyncIterable<string> {
    return this.logStore.read(ref.containerId, options);
  }

  async runSandbox(pod: SandboxPod, signal: AbortSignal): Promise<void> {
    await sleep(pod.fargate ? this.timings.sandboxBootMs.fargate : this.timings.sandboxBootMs.nodegroup, signal);
  }

  async removeSandbox(pod: SandboxPod): Promise<void> {
    for (const process of [...this.processes.values()]) {
      if (process.podUid === pod.uid) process.finish({ exitCode: 137, signal: 9, reason: 'Error' });
    }
    this.images.forget(pod);
  }

  ensureImage(
    pod: SandboxPod,
    container: Container,
    emit: (event: SandboxEvent) => void,
    signal: AbortSignal,
  ): Promise<ImageRef> {
    return this.images.ensure(pod, container, emit, signal);
  }

  async createContainer(pod: SandboxPod, container: Container, _attempt: number, signal: AbortSignal) {
    await sleep(this.timings.containerCreateMs, signal);
    const id = `${simulatedIdPrefix}${randomBytes(32).toString('hex')}`;
    const key = `${pod.uid}/${container.name}`;
    const ids = [...(this.instances.get(key) ?? []), id];
    while (ids.length > 2) this.logStore.forget(ids.shift()!);
    this.instances.set(key, ids);
    this.logStore.open(id);
    return id;
  }

  async startContainer(pod: SandboxPod, container: Container, id: string, signal: AbortSignal) {
    await sleep(this.timings.containerStartMs, signal);
    const program = programOf(container, this.timings, pod.name);
    let finish: (exit: ContainerExit) => void = () => {};
    const exited = new Promise<ContainerExit>((resolve) => {
      finish = resolve;
    });
    let done = false;
    const process: Process = {
      program,
      podUid: pod.uid,
      timers: new Set(),
      finish: (exit) => {
        if (done) return;
        done = true;
        this.processes.delete(id);
        for (const timer of process.timers) clearTimeout(timer);
        process.timers.clear();
        this.logStore.end(id);
        finish(exit);
      },
    };
    this.processes.set(id, process);
    this.print(process, id, [...bannerOf(container, pod.fargate), ...program.output]);
    if (program.repeat) this.repeat(process, id, program.repeat);
    if (program.runsForMs !== undefined) {
      const ms = program.runsForMs * this.timings.commandTimeScale;
      this.after(process, ms, () => process.finish({ exitCode: program.exitCode }));
    }
    return { id, startedAt: new Date(), exited } satisfies RunningContainer;
  }

  stopContainer(
    _pod: SandboxPod,
    _container: Container,
    running: RunningContainer,
    kill: AbortSignal,
  ): Promise<ContainerExit> {
    const process = this.processes.get(running.id);
    if (!process) return running.exited;
    const killed = () => process.finish({ exitCode: 137, signal: 9, reason: 'Error' });
    if (kill.aborted) killed();
    else kill.addEventListener('abort', killed, { once: true });
    if (!process.program.ignoresSigterm) {
      this.after(process, this.timings.terminationDelayMs, () =>
        process.finish({ exitCode: this.timings.sigtermExitCode }),
      );
    }
    return running.exited.finally(() => kill.removeEventListener('abort', killed));
  }

  async probe(_pod: SandboxPod, container: Container, running: RunningContainer, kind: ProbeKind) {
    const probe = container[`${kind}Probe`];
    const initialDelayMs = (probe?.initialDelaySeconds ?? 0) * 1000;
    // The prober's first probe is due at startedAt + initialDelaySeconds, and a timer may fire a millisecond early
    // by Date.now(): a probe at its due time passes (else the next one is a whole period later).
    const elapsed = Date.now() - running.startedAt.getTime() + timerSlackMs;
    return elapsed >= initialDelayMs + this.timings.readinessDelayMs;
  }

  async usage(pod: SandboxPod, running: { container: Container }[]): Promise<ContainerUsage[]> {
    const annotations = pod.pod.metadata.annotations ?? {};
    const cpu = quantityOr(annotations[cpuAnnotation], this.timings.defaultUsage.cpu);
    const memory = quantityOr(annotations[memoryAnnotation], this.timings.defaultUsage.memory);
    return running.map(({ container }) => ({ name: container.name, cpu, memory }));
  }

  close(): void {
    for (const process of [...this.processes.values()]) process.finish({ exitCode: 137, signal: 9, reason: 'Error' });
  }

  /** Writes each line at its time (scaled like the command's run time); lines due at once are written now. */
  private print(process: Process, id: string, lines: OutputLine[], offsetMs = 0): void {
    const write = (line: OutputLine) =>
      this.logStore.append(id, renderLine(line.text, new Date(), { [nginxTimeMark]: nginxTime }));
    for (const line of lines) {
      const ms = (offsetMs + line.ms) * this.timings.commandTimeScale;
      if (ms <= 0) write(line);
      else this.after(process, ms, () => write(line));
    }
  }

  /** A never-ending loop's lines, round after round while the process runs. */
  private repeat(process: Process, id: string, repeat: NonNullable<Program['repeat']>): void {
    const round = () => {
      this.print(process, id, repeat.lines);
      this.after(process, Math.max(repeat.periodMs, 10) * this.timings.commandTimeScale, round);
    };
    this.after(process, repeat.startMs * this.timings.commandTimeScale, round);
  }

  private after(process: Process, ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      process.timers.delete(timer);
      action();
    }, ms);
    timer.unref?.();
    process.timers.add(timer);
  }
}
