// The kubelet's events about pods: source {component: kubelet, host: <node>}, fieldPath spec.containers{name} for
// container events, and repeats of the same event folded into one with a growing count (as client-go's correlator
// does, so `kubectl describe` prints "x5 over 2m"). Writes are queued and bounded.
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient } from '../kube/client/types.js';
import { apiTime } from './clock.js';
import type { SandboxEvent } from './driver.js';
import { Limiter } from './limiter.js';

interface Series {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  /** Writes of one series run one after another. */
  chain: Promise<void>;
}

const seriesPerPod = 64;
let lastNanos = 0n;
function uniqueNanos(): bigint {
  const now = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  lastNanos = now > lastNanos ? now : lastNanos + 1n;
  return lastNanos;
}

export function fieldPathOf(event: SandboxEvent): string | undefined {
  if (!event.container) return undefined;
  return `spec.${event.container.init ? 'initContainers' : 'containers'}{${event.container.name}}`;
}

export class KubeletEvents {
  private series = new Map<string, Map<string, Series>>();
  private limiter = new Limiter(8);

  constructor(
    private client: KubeClient,
    private onError: (error: unknown) => void,
  ) {}

  record(pod: KubeObject, nodeName: string, event: SandboxEvent): void {
    const uid = pod.metadata.uid!;
    const fieldPath = fieldPathOf(event);
    const key = `${event.type}|${event.reason}|${fieldPath ?? ''}|${event.message}`;
    let ofPod = this.series.get(uid);
    if (!ofPod) {
      ofPod = new Map();
      this.series.set(uid, ofPod);
    }
    const now = apiTime();
    const existing = ofPod.get(key);
    if (existing) {
      existing.count++;
      const count = existing.count;
      existing.chain = existing.chain.then(() => this.bump(existing, count, now));
      return;
    }
    const series: Series = {
      name: `${pod.metadata.name}.${uniqueNanos().toString(16)}`,
      namespace: pod.metadata.namespace ?? 'default',
      count: 1,
      firstTimestamp: now,
      chain: Promise.resolve(),
    };
    ofPod.set(key, series);
    // Bounded like client-go's correlator cache: the oldest series of a pod is forgotten first.
    if (ofPod.size > seriesPerPod) ofPod.delete(ofPod.keys().next().value!);
    const object: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: series.name, namespace: series.namespace },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        uid,
        resourceVersion: pod.metadata.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason: event.reason,
      message: event.message,
      type: event.type,
      source: { component: 'kubelet', host: nodeName },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: 'kubelet',
      reportingInstance: nodeName,
    };
    series.chain = this.limiter
      .run(async () => {
        await this.client.create(object);
      })
      .catch((error) => this.failed(error));
  }

  /** Forgets a pod's series (its later events start new ones). */
  forget(uid: string): void {
    this.series.delete(uid);
  }

  /** Resolves once every queued write has been tried. */
  async settled(): Promise<void> {
    const chains = [...this.series.values()].flatMap((ofPod) => [...ofPod.values()].map((s) => s.chain));
    await Promise.allSettled(chains);
  }

  /** A namespace gone or terminating (404/403) takes its events with it: nothing to report. */
  private failed(error: any): void {
    if (error?.code !== 404 && error?.code !== 403) this.onError(error);
  }

  private async bump(series: Series, count: number, now: string): Promise<void> {
    if (count < series.count) return;
    try {
      await this.limiter.run(() =>
        this.client.patch(
          { apiVersion: 'v1', kind: 'Event', namespace: series.namespace },
          series.name,
          { count, lastTimestamp: now },
          'merge',
        ),
      );
    } catch (error: any) {
      this.failed(error);
    }
  }
}
