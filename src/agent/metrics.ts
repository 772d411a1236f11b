// metrics.k8s.io for `kubectl top`: every tick, a PodMetrics per running pod (usage per container from the driver)
// and a NodeMetrics per node (the sum over its pods); both deleted when their pod or node goes. While the metrics
// API is not served (404 on create), ticks pass quietly.
import { quantityMilliValue, quantityValue } from '../fargate/quantity.js';
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient } from '../kube/client/types.js';
import { apiTime } from './clock.js';
import type { ContainerUsage, SandboxDriver, SandboxPod } from './driver.js';
import { Limiter } from './limiter.js';

const apiVersion = 'metrics.k8s.io/v1beta1';

export interface MetricsSource {
  /** Pods running now, with the labels of their pod objects. */
  runningPods(): SandboxPod[];
  nodeNames(): string[];
}

class Unavailable extends Error {}

export class MetricsWriter {
  private timer?: NodeJS.Timeout;
  private written = new Set<string>();
  private limiter = new Limiter(8);
  private ticking?: Promise<void>;

  constructor(
    private client: KubeClient,
    private driver: SandboxDriver,
    private source: MetricsSource,
    private intervalMs: number,
    private onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.ticking ??= this.tick()
        .catch((error) => (error instanceof Unavailable || error?.code === 403 ? undefined : this.onError(error)))
        .finally(() => {
          this.ticking = undefined;
        });
    }, this.intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  /** One round of writes (exposed for tests and the first tick). */
  async tick(): Promise<void> {
    const window = `${Math.max(1, Math.round(this.intervalMs / 1000))}s`;
    const timestamp = apiTime();
    const nodes = new Map<string, { milli: number; bytes: number }>(
      this.source.nodeNames().map((n) => [n, { milli: 0, bytes: 0 }]),
    );
    const running = this.source.runningPods();
    const measured = await Promise.all(running.map((pod) => this.driver.usage(pod).catch((): ContainerUsage[] => [])));
    // A pod with no container running (all in back-off) has nothing to show, as with metrics-server.
    const pods = running.filter((_, i) => measured[i].length > 0);
    const usages = measured.filter((usage) => usage.length > 0);
    const writes: Promise<void>[] = [];
    pods.forEach((pod, i) => {
      const containers = usages[i].map(({ name, cpu, memory }) => ({ name, usage: { cpu, memory } }));
      const sum = nodes.get(pod.nodeName);
      for (const { cpu, memory } of usages[i]) {
        if (!sum) break;
        try {
          sum.milli += quantityMilliValue(cpu);
          sum.bytes += quantityValue(memory);
        } catch {
          // A driver's unreadable quantity counts as nothing in the node's sum.
        }
      }
      const metadata = { name: pod.name, namespace: pod.namespace, labels: pod.pod.metadata.labels ?? {} };
      writes.push(this.put({ apiVersion, kind: 'PodMetrics', metadata, timestamp, window, containers }));
    });
    for (const [name, sum] of nodes) {
      const usage = { cpu: `${sum.milli}m`, memory: `${Math.ceil(sum.bytes / 1024)}Ki` };
      writes.push(this.put({ apiVersion, kind: 'NodeMetrics', metadata: { name }, timestamp, window, usage }));
    }
    const present = new Set([
      ...pods.map((pod) => this.key('PodMetrics', pod.namespace, pod.name)),
      ...[...nodes.keys()].map((name) => this.key('NodeMetrics', undefined, name)),
    ]);
    for (const key of [...this.written]) {
      if (present.has(key)) continue;
      const [kind, namespace, name] = key.split('/');
      this.remove({ apiVersion, kind, ...(namespace ? { namespace } : {}) }, name);
    }
    const results = await Promise.allSettled(writes);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  podGone(namespace: string, name: string): void {
    this.remove({ apiVersion, kind: 'PodMetrics', namespace }, name);
  }

  nodeGone(name: string): void {
    this.remove({ apiVersion, kind: 'NodeMetrics' }, name);
  }

  private key(kind: string, namespace: string | undefined, name: string): string {
    return `${kind}/${namespace ?? ''}/${name}`;
  }

  private remove(ref: { apiVersion: string; kind: string; namespace?: string }, name: string): void {
    const key = this.key(ref.kind, ref.namespace, name);
    if (!this.written.delete(key)) return;
    this.limiter
      .run(() => this.client.delete(ref, name))
      .catch((error) => {
        if (error?.code !== 404) this.onError(error);
      });
  }

  /** Creates the object, or replaces it once it exists. */
  private async put(object: KubeObject): Promise<void> {
    const key = this.key(object.kind, object.metadata.namespace, object.metadata.name!);
    await this.limiter.run(async () => {
      if (this.written.has(key)) {
        try {
          await this.client.update(object);
          return;
        } catch (error: any) {
          if (error?.code !== 404) throw error;
          this.written.delete(key);
        }
      }
      try {
        await this.client.create(object);
      } catch (error: any) {
        if (error?.code === 404) throw new Unavailable();
        if (error?.code !== 409) throw error;
        await this.client.update(object);
      }
      this.written.add(key);
    });
  }
}
