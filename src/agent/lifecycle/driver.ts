// A SandboxDriver made of a pod lifecycle per pod over one SandboxRuntime: the simulated driver is this over
// simulated primitives, and a CRI or micro-VM driver can be this over theirs.
import type {
  ContainerLogOptions,
  ContainerLogRef,
  ContainerUsage,
  SandboxDriver,
  SandboxListener,
  SandboxPod,
  StreamRequest,
} from '../driver.js';
import { kubeletBackOff } from './backoff.js';
import { type LifecycleOptions, PodLifecycle } from './pod.js';
import type { SandboxRuntime } from './runtime.js';

export const defaultLifecycleOptions: LifecycleOptions = { backOff: kubeletBackOff, resyncMs: 1000 };

export class LifecycleDriver implements SandboxDriver {
  private pods = new Map<string, PodLifecycle>();
  readonly streamUrl?: (request: StreamRequest) => Promise<string>;

  constructor(
    readonly name: string,
    private runtime: SandboxRuntime & { close?(): Promise<void> | void },
    private options: LifecycleOptions = defaultLifecycleOptions,
  ) {
    if (runtime.streamUrl) this.streamUrl = (request) => runtime.streamUrl!(request);
  }

  get readyNote(): string | undefined {
    return this.runtime.readyNote;
  }

  createPod(pod: SandboxPod, listener: SandboxListener): void {
    if (this.pods.has(pod.uid)) return;
    const lifecycle = new PodLifecycle(this.runtime, pod, listener, this.options);
    this.pods.set(pod.uid, lifecycle);
    lifecycle.start();
  }

  updatePod(pod: SandboxPod): void {
    this.pods.get(pod.uid)?.update(pod);
    this.runtime.updatePod?.(pod);
  }

  async deletePod(uid: string, gracePeriodSeconds: number): Promise<void> {
    const lifecycle = this.pods.get(uid);
    if (!lifecycle) return;
    await lifecycle.stop(gracePeriodSeconds);
    if (this.pods.get(uid) === lifecycle) this.pods.delete(uid);
  }

  async usage(pod: SandboxPod): Promise<ContainerUsage[]> {
    return (await this.pods.get(pod.uid)?.usage()) ?? [];
  }

  async *logs(ref: ContainerLogRef, options: ContainerLogOptions): AsyncGenerator<string> {
    if (!this.runtime.logs) return;
    const running = options.follow ? this.pods.get(ref.podUid)?.runningInstance(ref.containerId) : undefined;
    if (!running) {
      yield* this.runtime.logs(ref, { ...options, follow: false });
      return;
    }
    const following = new AbortController();
    const stop = () => following.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted) stop();
    running.exited.then(stop, stop);
    try {
      yield* this.runtime.logs(ref, { ...options, signal: following.signal });
    } finally {
      options.signal?.removeEventListener('abort', stop);
      stop();
    }
  }

  async close(): Promise<void> {
    for (const lifecycle of this.pods.values()) lifecycle.close();
    this.pods.clear();
    await this.runtime.close?.();
  }
}
