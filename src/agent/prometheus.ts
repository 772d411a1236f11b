// The agent's Prometheus metrics, served at its /metrics like the kubelet's port 10250: the kubelet's own names for
// what it runs (kubelet_running_pods, kubelet_running_containers, kubelet_pod_start_duration_seconds from first
// sight to Running) and, for the pods on this host, the pod gauges of src/metering/prometheus.ts.
import { Gauge, Registry } from 'prom-client';
import type { KubeObject } from '../kube/api/types.js';
import { type PodSource, PodStartLatency, registerPodGauges } from '../metering/prometheus.js';

export class AgentMetrics {
  readonly registry = new Registry();
  private readonly latency: PodStartLatency;

  constructor(source: PodSource) {
    this.latency = new PodStartLatency(
      this.registry,
      'kubelet_pod_start_duration_seconds',
      'Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run',
      'firstSeen',
    );
    new Gauge({
      name: 'kubelet_running_pods',
      help: 'Number of pods that have a running pod sandbox',
      registers: [this.registry],
      collect() {
        this.set([...source.pods()].filter((p) => p.status?.phase === 'Running').length);
      },
    });
    new Gauge({
      name: 'kubelet_running_containers',
      help: 'Number of containers currently running',
      labelNames: ['container_state'],
      registers: [this.registry],
      collect() {
        const counts: Record<string, number> = { running: 0, exited: 0, created: 0 };
        for (const pod of source.pods()) {
          for (const status of pod.status?.containerStatuses ?? []) {
            const state = status.state?.running ? 'running' : status.state?.terminated ? 'exited' : 'created';
            counts[state]++;
          }
        }
        for (const [container_state, n] of Object.entries(counts)) this.set({ container_state }, n);
      },
    });
    registerPodGauges(this.registry, source);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** A pod of this host changed (undefined: it left the host or was deleted). */
  podChanged(uid: string, pod: KubeObject | undefined): void {
    if (pod) this.latency.seen(pod);
    else this.latency.gone(uid);
  }
}
