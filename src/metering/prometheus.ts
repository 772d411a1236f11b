// Prometheus metrics of pods and what they cost, for the kube API's and the agents' `/metrics` (prom-client's
// exposition format): pods by phase under kube-state-metrics' name `kube_pod_status_phase`, Fargate pods, their
// provisioned vCPU and GB and their cost rate by profile, and a pod start latency histogram with the kubelet's
// buckets (`kubelet_pod_start_duration_seconds` on an agent). Gauges are computed from the pods at each scrape.
import { Gauge, Histogram, type Registry } from 'prom-client';
import { fargateHourlyRate } from '../fargate/billing.js';
import { profileLabel } from '../fargate/matching.js';
import { fargateRates } from '../fargate/prices.js';
import { parseCapacityProvisioned } from '../fargate/sizing.js';
import type { KubeObject } from '../kube/api/types.js';
import { capacityAnnotation, isMeteredFargatePod } from './pod-usage.js';

const phases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

/** The kubelet's buckets for kubelet_pod_start_duration_seconds (pkg/kubelet/metrics). */
export const podStartBuckets = [
  0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600,
];

export interface PodSource {
  pods(): Iterable<KubeObject>;
  /** The region whose Fargate prices apply to the pod (undefined: no cost rate). */
  regionOf(pod: KubeObject): string | undefined;
}

interface ProfileTotals {
  pods: number;
  vcpu: number;
  memoryGB: number;
  usdPerHour: number;
}

function byProfile(source: PodSource): Map<string, ProfileTotals> {
  const totals = new Map<string, ProfileTotals>();
  for (const pod of source.pods()) {
    if (!isMeteredFargatePod(pod)) continue;
    const profile = pod.metadata.labels?.[profileLabel] ?? '';
    const size = parseCapacityProvisioned(pod.metadata.annotations?.[capacityAnnotation])!;
    const t = totals.get(profile) ?? { pods: 0, vcpu: 0, memoryGB: 0, usdPerHour: 0 };
    t.pods++;
    t.vcpu += size.cpuMillis / 1000;
    t.memoryGB += size.memoryMiB / 1024;
    const rates = fargateRates[source.regionOf(pod) ?? ''];
    // Storage is left out: the rate of the vCPU and memory the pod holds (storage rates are not known everywhere).
    if (rates)
      t.usdPerHour += fargateHourlyRate(
        { vcpu: size.cpuMillis / 1000, memoryGB: size.memoryMiB / 1024, storageGB: 20 },
        rates,
      ).total;
    totals.set(profile, t);
  }
  return totals;
}

/** Registers the pod gauges on `registry`, read from `source` at each scrape. */
export function registerPodGauges(registry: Registry, source: PodSource): void {
  new Gauge({
    name: 'kube_pod_status_phase',
    help: 'The pods current phase.',
    labelNames: ['namespace', 'pod', 'uid', 'phase'],
    registers: [registry],
    collect() {
      this.reset();
      for (const pod of source.pods()) {
        const { namespace, name, uid } = pod.metadata;
        const current = pod.status?.phase ?? 'Pending';
        for (const phase of phases) {
          this.set({ namespace: namespace!, pod: name!, uid: uid!, phase }, phase === current ? 1 : 0);
        }
      }
    },
  });
  const perProfile = (name: string, help: string, read: (t: ProfileTotals) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['profile'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [profile, totals] of byProfile(source)) this.set({ profile }, read(totals));
      },
    });
  perProfile('skiff_fargate_pods', 'Fargate pods holding a node, by Fargate profile.', (t) => t.pods);
  perProfile('skiff_fargate_provisioned_vcpu', 'CapacityProvisioned vCPU of Fargate pods, by profile.', (t) => t.vcpu);
  perProfile(
    'skiff_fargate_provisioned_memory_gigabytes',
    'CapacityProvisioned memory (GB of 1024 MiB) of Fargate pods, by profile.',
    (t) => t.memoryGB,
  );
  perProfile(
    'skiff_fargate_cost_usd_per_hour',
    'What the Fargate pods cost per hour now (vCPU and memory at the region on-demand rate), by profile.',
    (t) => t.usdPerHour,
  );
}

/**
 * Pod start latency: from `since(pod)` (first seen, or created) to the first time the pod is seen Running, observed
 * once per pod. Pods already running when it starts are not observed.
 */
export class PodStartLatency {
  private readonly histogram: Histogram;
  private readonly firstSeen = new Map<string, number>();
  private readonly done = new Set<string>();

  constructor(
    registry: Registry,
    name: string,
    help: string,
    private readonly since: 'firstSeen' | 'created',
    private readonly now: () => number = Date.now,
  ) {
    this.histogram = new Histogram({ name, help, buckets: podStartBuckets, registers: [registry] });
  }

  /** Hears a pod change as an informer hands it (`pod` undefined: `old` was deleted). */
  changed(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    if (pod) this.seen(pod);
    else if (old) this.gone(old.metadata.uid!);
  }

  seen(pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    const running = pod.status?.phase === 'Running';
    if (!this.firstSeen.has(uid)) {
      this.firstSeen.set(uid, this.now());
      if (running) this.done.add(uid);
    }
    if (!running || this.done.has(uid)) return;
    this.done.add(uid);
    const from = this.since === 'created' ? Date.parse(pod.metadata.creationTimestamp ?? '') : this.firstSeen.get(uid)!;
    if (!Number.isNaN(from)) this.histogram.observe(Math.max(0, (this.now() - from) / 1000));
  }

  gone(uid: string): void {
    this.firstSeen.delete(uid);
    this.done.delete(uid);
  }
}
