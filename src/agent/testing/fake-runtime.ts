// A scriptable SandboxRuntime for lifecycle tests: every primitive records its call, can be slowed down or made to
// hang, and containers are plain objects whose exit the test decides (or SIGTERM ends, unless told to ignore it).
// Exec commands, termination messages and logs are answered by functions the test sets.
import type { ContainerLogOptions, ContainerLogRef, SandboxEvent, SandboxPod, SandboxStatus } from '../driver.js';
import type {
  Container,
  ContainerExit,
  ExecResult,
  ImageRef,
  RunningContainer,
  SandboxRuntime,
} from '../lifecycle/runtime.js';

export interface FakeContainer {
  id: string;
  name: string;
  running: RunningContainer;
  exit(exit: ContainerExit): void;
  signals: string[];
}

export class FakeRuntime implements SandboxRuntime {
  calls: string[] = [];
  containers: FakeContainer[] = [];
  sandboxes = new Set<string>();
  /** Milliseconds each primitive takes (Infinity: it never returns). */
  delays: Partial<Record<'runSandbox' | 'createContainer' | 'startContainer' | 'ensureImage', number>> = {};
  /** Whether SIGTERM ends a container (with 143) or only SIGKILL (with 137). */
  ignoresSigterm = false;
  exec?: SandboxRuntime['exec'];
  terminationMessage?: SandboxRuntime['terminationMessage'];
  logLines: Record<string, string[]> = {};
  private count = 0;

  private async wait(step: keyof FakeRuntime['delays']): Promise<void> {
    const ms = this.delays[step] ?? 0;
    if (ms === Infinity) await new Promise(() => {});
    else if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  async runSandbox(pod: SandboxPod): Promise<void> {
    this.calls.push('runSandbox');
    await this.wait('runSandbox');
    this.sandboxes.add(pod.uid);
    this.calls.push('sandboxReady');
  }

  async removeSandbox(pod: SandboxPod): Promise<void> {
    this.calls.push('removeSandbox');
    this.sandboxes.delete(pod.uid);
    for (const c of this.containers) c.exit({ exitCode: 137, signal: 9, reason: 'Error' });
  }

  async ensureImage(_pod: SandboxPod, container: Container): Promise<ImageRef> {
    await this.wait('ensureImage');
    return { image: container.image, imageID: `${container.image}@sha256:0` };
  }

  async createContainer(_pod: SandboxPod, container: Container, attempt: number): Promise<string> {
    this.calls.push(`create ${container.name}`);
    await this.wait('createContainer');
    return `fake://${container.name}-${attempt}-${this.count++}`;
  }

  async startContainer(_pod: SandboxPod, container: Container, id: string): Promise<RunningContainer> {
    this.calls.push(`start ${container.name}`);
    await this.wait('startContainer');
    let resolve: (exit: ContainerExit) => void = () => {};
    const exited = new Promise<ContainerExit>((r) => {
      resolve = r;
    });
    const running: RunningContainer = { id, startedAt: new Date(), exited };
    const fake: FakeContainer = {
      id,
      name: container.name,
      running,
      signals: [],
      exit: (exit) => {
        resolve(exit);
        this.containers = this.containers.filter((c) => c !== fake);
      },
    };
    exited.then((exit) => this.calls.push(`exited ${container.name} ${exit.exitCode}`));
    this.containers.push(fake);
    return running;
  }

  stopContainer(_pod: SandboxPod, container: Container, running: RunningContainer, kill: AbortSignal) {
    this.calls.push(`stop ${container.name}`);
    const fake = this.containers.find((c) => c.running === running);
    if (!fake) return running.exited;
    const sigkill = () => fake.exit({ exitCode: 137, signal: 9, reason: 'Error' });
    fake.signals.push('TERM');
    if (!this.ignoresSigterm) fake.exit({ exitCode: 143, reason: 'Error' });
    else if (kill.aborted) sigkill();
    else kill.addEventListener('abort', sigkill, { once: true });
    return running.exited;
  }

  async usage() {
    return [];
  }

  async *logs(ref: ContainerLogRef, options: ContainerLogOptions): AsyncGenerator<string> {
    const lines = this.logLines[ref.containerId] ?? [];
    const tail = options.tailLines === undefined ? lines : lines.slice(-options.tailLines);
    for (const line of tail) yield `${line}\n`;
  }

  /** The running container named `name` (the latest instance). */
  container(name: string): FakeContainer | undefined {
    return this.containers.filter((c) => c.name === name).at(-1);
  }
}

/** A listener that keeps every status and event the lifecycle reports. */
export function recorder() {
  const statuses: SandboxStatus[] = [];
  const events: SandboxEvent[] = [];
  return {
    statuses,
    events,
    last: () => statuses.at(-1)!,
    messages: (reason?: string) => events.filter((e) => !reason || e.reason === reason).map((e) => e.message),
    listener: { status: (s: SandboxStatus) => statuses.push(s), event: (e: SandboxEvent) => events.push(e) },
  };
}

export function fakePod(spec: Record<string, unknown>, name = 'p'): SandboxPod {
  return {
    uid: `uid-${name}`,
    namespace: 'default',
    name,
    nodeName: 'node',
    fargate: false,
    podIP: '127.0.0.1',
    hostIP: '127.0.0.1',
    pod: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', uid: `uid-${name}` },
      spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
    },
  };
}

export type { ExecResult };
