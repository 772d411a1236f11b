// The control plane's Prometheus metrics, served by the kube API at /metrics: the pod gauges and the pod start
// latency (creation to Running, `skiff_pod_start_duration_seconds`) over the shared pod informer, the bill so far
// and the burn rate from the metering controller's usage records, and prom-client's process metrics (the
// `process_*` series kube-apiserver exposes too).
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { InformerUse } from '../client/factory.js';
import { sharedInformers } from '../client/factory.js';
import type { KubeClient } from '../kube/client/types.js';
import { type Clock, systemClock } from './clock.js';
import type { MeteringController } from './controller.js';
import { PodStartLatency, registerPodGauges } from './prometheus.js';
import { charges, hourlyRateOf } from './report/bill.js';
import { isOpen, type UsageRecord } from './usage-record.js';

export interface ClusterMetricsOptions {
  region: string;
  metering?: MeteringController;
  clock?: Clock;
}

const resourceTypes = ['FargatePod', 'Node'] as const;

/** The record's hourly rate, or 0 for one the price tables cannot price (a scrape never fails on it). */
function rateOrZero(record: UsageRecord): number {
  try {
    return hourlyRateOf(record).total;
  } catch {
    return 0;
  }
}

export class ClusterMetrics {
  readonly registry = new Registry();
  private readonly latency: PodStartLatency;
  private readonly pods: InformerUse;

  constructor(client: KubeClient, options: ClusterMetricsOptions) {
    const clock = options.clock ?? systemClock;
    this.latency = new PodStartLatency(
      this.registry,
      'skiff_pod_start_duration_seconds',
      "Duration in seconds from a pod's creation to the control plane seeing it Running.",
      'created',
      () => clock.now(),
    );
    this.pods = sharedInformers(client).handle({ apiVersion: 'v1', kind: 'Pod' }, (old, pod) =>
      this.latency.changed(old, pod),
    );
    registerPodGauges(this.registry, { pods: () => this.pods.cache.values(), regionOf: () => options.region });
    const records = () => options.metering?.usageRecords() ?? [];
    new Gauge({
      name: 'skiff_cost_usd_per_hour',
      help: 'Burn rate: what the metered Fargate pods and node-group nodes cost per hour now.',
      labelNames: ['resource_type'],
      registers: [this.registry],
      collect() {
        for (const type of resourceTypes) {
          const open = records().filter((r) => r.spec.resourceType === type && isOpen(r));
          this.set(
            { resource_type: type },
            open.reduce((sum, r) => sum + rateOrZero(r), 0),
          );
        }
      },
    });
    new Gauge({
      name: 'skiff_cost_usd_total',
      help: 'What the metered Fargate pods and node-group nodes have cost so far (the billing formula).',
      labelNames: ['resource_type'],
      registers: [this.registry],
      collect() {
        for (const type of resourceTypes) {
          const priced = records().filter((r) => r.spec.resourceType === type && rateOrZero(r) > 0);
          this.set(
            { resource_type: type },
            charges(priced, clock.now()).reduce((sum, c) => sum + c.cost, 0),
          );
        }
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  start(): Promise<void> {
    return this.pods.start();
  }

  stop(): void {
    this.pods.stop();
  }
}
