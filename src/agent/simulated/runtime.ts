// The simulated container primitives, KWOK-style: no process runs; timers stand for booting, pulling, creating and
// starting, a container "exits" when its known-finite command would, and stopping honours whether PID 1 handles
// SIGTERM. Usage comes from the pod's skiff.io/simulated-cpu / -memory annotations.
import { randomBytes } from 'node:crypto';
import { parseQuantity } from '../../fargate/quantity.js';
import type { ContainerUsage, SandboxEvent, SandboxPod } from '../driver.js';
import { sleep } from '../lifecycle/container.js';
import type { Container, ContainerExit, ImageRef, RunningContainer, SandboxRuntime } from '../lifecycle/runtime.js';
import { type Program, programOf } from './commands.js';
import { SimulatedImages } from './images.js';
import type { SimulatedTimings } from './timings.js';

export const cpuAnnotation = 'skiff.io/simulated-cpu';
export const memoryAnnotation = 'skiff.io/simulated-memory';

interface Process {
  program: Program;
  podUid: string;
  timers: NodeJS.Timeout[];
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

export class SimulatedRuntime implements SandboxRuntime {
  private processes = new Map<string, Process>();
  private images: SimulatedImages;

  constructor(private timings: SimulatedTimings) {
    this.images = new SimulatedImages(timings);
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

  async createContainer(_pod: SandboxPod, _container: Container, _attempt: number, signal: AbortSignal) {
    await sleep(this.timings.containerCreateMs, signal);
    return `containerd://${randomBytes(32).toString('hex')}`;
  }

  async startContainer(pod: SandboxPod, container: Container, id: string, signal: AbortSignal) {
    await sleep(this.timings.containerStartMs, signal);
    const program = programOf(container, this.timings);
    let finish: (exit: ContainerExit) => void = () => {};
    const exited = new Promise<ContainerExit>((resolve) => {
      finish = resolve;
    });
    let done = false;
    const process: Process = {
      program,
      podUid: pod.uid,
      timers: [],
      finish: (exit) => {
        if (done) return;
        done = true;
        this.processes.delete(id);
        for (const timer of process.timers) clearTimeout(timer);
        process.timers = [];
        finish(exit);
      },
    };
    this.processes.set(id, process);
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

  async probe(_pod: SandboxPod, container: Container, running: RunningContainer, kind: 'readiness' | 'startup') {
    const probe = kind === 'readiness' ? container.readinessProbe : container.startupProbe;
    const initialDelayMs = (probe?.initialDelaySeconds ?? 0) * 1000;
    return Date.now() - running.startedAt.getTime() >= initialDelayMs + this.timings.readinessDelayMs;
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

  private after(process: Process, ms: number, action: () => void): void {
    const timer = setTimeout(action, ms);
    timer.unref?.();
    process.timers.push(timer);
  }
}
