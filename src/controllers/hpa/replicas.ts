// The replica calculator of Kubernetes' HPA for resource metrics: groups pods into ready, unready, missing-metric
// and ignored; proposes ceil(ready * usage / target) within a 0.1 tolerance; on a scale-up counts unready and
// missing pods as using nothing, on a scale-down counts missing pods at their request (or the target), and
// refuses a proposal that would turn the scaling direction around. Errors carry Kubernetes' messages.
import type { KubeObject } from '../../kube/api/types.js';
import { milliValue } from './values.js';

export interface PodMetric {
  /** Usage in thousandths (millicores, milli-bytes). */
  value: number;
  timestampMs: number;
  windowMs: number;
}

export type PodMetricsByName = Map<string, PodMetric>;

export interface CalculatorOptions {
  now: number;
  tolerance: number;
  /** After a pod starts, CPU samples taken before one window after it turned ready are not trusted (5 min). */
  cpuInitializationPeriodMs: number;
  /** A pod not ready this soon after starting counts as never ready (30 s). */
  initialReadinessDelayMs: number;
}

export const defaultCalculatorOptions = {
  tolerance: 0.1,
  cpuInitializationPeriodMs: 5 * 60_000,
  initialReadinessDelayMs: 30_000,
};

const time = (t: string | undefined) => (t ? Date.parse(t) : Number.NaN);

function groupPods(pods: KubeObject[], metrics: PodMetricsByName, resource: string, o: CalculatorOptions) {
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  let ready = 0;
  for (const pod of pods) {
    const name = pod.metadata.name!;
    const phase = pod.status?.phase;
    if (pod.metadata.deletionTimestamp || phase === 'Failed') ignored.add(name);
    else if (phase === 'Pending') unready.add(name);
    else if (!metrics.has(name)) missing.add(name);
    else if (resource === 'cpu' && cpuUnready(pod, metrics.get(name)!, o)) unready.add(name);
    else ready++;
  }
  return { ready, unready, missing, ignored };
}

function cpuUnready(pod: KubeObject, metric: PodMetric, o: CalculatorOptions): boolean {
  const condition = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  const started = time(pod.status?.startTime);
  if (!condition || Number.isNaN(started)) return true;
  const transition = time(condition.lastTransitionTime);
  if (started + o.cpuInitializationPeriodMs > o.now)
    return condition.status === 'False' || metric.timestampMs < transition + metric.windowMs;
  return condition.status === 'False' && started + o.initialReadinessDelayMs > transition;
}

/** Each pod's summed request of `resource` (of one container when given), in thousandths. */
export function podRequests(pods: KubeObject[], resource: string, container?: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const sidecars = (pod.spec?.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always');
    let sum = 0;
    for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
      if (container && c.name !== container) continue;
      const request = c.resources?.requests?.[resource];
      if (request === undefined)
        throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      sum += milliValue(request);
    }
    requests.set(pod.metadata.name!, sum);
  }
  return requests;
}

export function utilizationRatio(metrics: PodMetricsByName, requests: Map<string, number>, target: number) {
  let usage = 0;
  let requested = 0;
  let entries = 0;
  for (const [name, metric] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    usage += metric.value;
    requested += request;
    entries++;
  }
  if (requested === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((usage * 100) / requested);
  return { ratio: utilization / target, utilization, rawAverage: Math.trunc(usage / entries) };
}

function usageRatio(metrics: PodMetricsByName, target: number) {
  let total = 0;
  for (const metric of metrics.values()) total += metric.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / target, usage };
}

const zero = (m: PodMetricsByName, names: Set<string>) => {
  for (const name of names) m.set(name, { value: 0, timestampMs: 0, windowMs: 0 });
};

/**
 * The shared second half of both calculations: with every pod ready and measured, the plain proposal; else the
 * ratio again with unready/missing pods filled in (`fillMissing` gives a missing pod's assumed usage on a scale-down).
 */
function propose(
  current: number,
  pods: KubeObject[],
  raw: PodMetricsByName,
  resource: string,
  o: CalculatorOptions,
  ratioOf: (m: PodMetricsByName) => number,
  fillMissing: (name: string) => number,
): number {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const metrics = new Map(raw);
  const groups = groupPods(pods, metrics, resource, o);
  for (const name of [...groups.ignored, ...groups.unready]) metrics.delete(name);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const ratio = ratioOf(metrics);
  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1 - ratio) <= o.tolerance) return current;
    return Math.ceil(ratio * groups.ready);
  }
  if (ratio < 1)
    for (const name of groups.missing) metrics.set(name, { value: fillMissing(name), timestampMs: 0, windowMs: 0 });
  else if (ratio > 1) zero(metrics, groups.missing);
  if (scaleUpWithUnready) zero(metrics, groups.unready);
  const newRatio = ratioOf(metrics);
  if (Math.abs(1 - newRatio) <= o.tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1))
    return current;
  const proposal = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1 && proposal > current) || (newRatio > 1 && proposal < current)) return current;
  return proposal;
}

/** A Utilization target: the proposal, the current utilization (percent of request) and average usage. */
export function resourceReplicas(
  current: number,
  targetUtilization: number,
  resource: string,
  pods: KubeObject[],
  metrics: PodMetricsByName,
  o: CalculatorOptions,
  container?: string,
) {
  let requests: Map<string, number> | undefined;
  let measured: { utilization: number; rawAverage: number } | undefined;
  const replicas = propose(
    current,
    pods,
    metrics,
    resource,
    o,
    (m) => {
      requests ??= podRequests(pods, resource, container);
      const result = utilizationRatio(m, requests, targetUtilization);
      measured ??= result;
      return result.ratio;
    },
    (name) => Math.trunc(((requests?.get(name) ?? 0) * Math.max(100, targetUtilization)) / 100),
  );
  return { replicas, utilization: measured!.utilization, rawAverage: measured!.rawAverage };
}

/** An AverageValue target (thousandths): the proposal and the current average usage. */
export function rawResourceReplicas(
  current: number,
  targetMilli: number,
  resource: string,
  pods: KubeObject[],
  metrics: PodMetricsByName,
  o: CalculatorOptions,
) {
  let usage: number | undefined;
  const replicas = propose(
    current,
    pods,
    metrics,
    resource,
    o,
    (m) => {
      const result = usageRatio(m, targetMilli);
      usage ??= result.usage;
      return result.ratio;
    },
    () => targetMilli,
  );
  return { replicas, usage: usage! };
}
