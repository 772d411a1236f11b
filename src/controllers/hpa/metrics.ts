// The replica count each of an HPA's metrics asks for, read from metrics.k8s.io PodMetrics and the target's pods
// (both by the scale's selector), with the metric statuses, the ScalingActive condition and the failure events
// Kubernetes gives. Resource and ContainerResource metrics are served; Pods, Object and External metrics need a
// custom metrics API, which Skiff has not, and fail as they do on a cluster without one.

import type { EventType } from '../../client/events.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { parseLabelSelector } from '../../kube/selectors/labels.js';
import type { HpaCondition } from './conditions.js';
import { type CalculatorOptions, type PodMetricsByName, rawResourceReplicas, resourceReplicas } from './replicas.js';
import { durationMs, formatMilli, milliValue } from './values.js';

export interface MetricsInput {
  client: KubeClient;
  hpa: KubeObject;
  selector: string | undefined;
  specReplicas: number;
  calculator: CalculatorOptions;
  setCondition(type: string, status: HpaCondition['status'], reason: string, message: string): void;
  event(type: EventType, reason: string, message: string): Promise<void>;
}

export interface MetricsResult {
  /** -1 when no replica count could be computed. */
  replicas: number;
  metric: string;
  statuses: any[];
  error?: Error;
}

const noCustomMetrics = 'no custom metrics API (custom.metrics.k8s.io) registered';

class MetricError extends Error {
  constructor(
    message: string,
    readonly condition: [reason: string, message: string],
  ) {
    super(message);
  }
}

/** Reads (once per sync) the pods and the PodMetrics the selector picks. */
function sources(input: MetricsInput) {
  const namespace = input.hpa.metadata.namespace;
  let pods: Promise<KubeObject[]> | undefined;
  let metrics: Promise<KubeObject[]> | undefined;
  return {
    pods: () =>
      (pods ??= input.client
        .list({ apiVersion: 'v1', kind: 'Pod', namespace }, { labelSelector: input.selector })
        .then((l) => l.items)),
    podMetrics: () =>
      (metrics ??= input.client
        .list(
          { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', namespace },
          { labelSelector: input.selector },
        )
        .then((l) => l.items)),
  };
}

/** Usage of `resource` per pod (or of one container), as the resource metrics client sums it. */
async function usageByPod(load: () => Promise<KubeObject[]>, resource: string, container?: string) {
  let items: KubeObject[];
  try {
    items = await load();
  } catch (error) {
    throw new Error(`unable to fetch metrics from resource metrics API: ${(error as Error).message}`);
  }
  if (items.length === 0) throw new Error('no metrics returned from resource metrics API');
  const result: PodMetricsByName = new Map();
  for (const m of items) {
    const timestampMs = Date.parse(m.timestamp);
    const windowMs = durationMs(m.window);
    const containers: any[] = m.containers ?? [];
    if (container) {
      const c = containers.find((x) => x.name === container);
      if (!c)
        throw new Error(
          `container ${container} not present in metrics for pod ${m.metadata.namespace}/${m.metadata.name}`,
        );
      if (c.usage?.[resource] !== undefined)
        result.set(m.metadata.name!, { value: milliValue(c.usage[resource]), timestampMs, windowMs });
      continue;
    }
    if (containers.length === 0 || containers.some((c) => c.usage?.[resource] === undefined)) continue;
    const value = containers.reduce((sum, c) => sum + milliValue(c.usage[resource]), 0);
    result.set(m.metadata.name!, { value, timestampMs, windowMs });
  }
  return result;
}

async function resourceMetric(input: MetricsInput, read: ReturnType<typeof sources>, spec: any, current: number) {
  const container = spec.type === 'ContainerResource';
  const source = container ? spec.containerResource : spec.resource;
  const reason = container ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric';
  const name = source?.name;
  const target = source?.target ?? {};
  const fail = (message: string) => {
    const wrapped = container
      ? `failed to get ${name} container metric value: `
      : `failed to get ${name} resource metric value: `;
    return new MetricError(wrapped + message, [reason, message]);
  };
  const measure = async () => {
    const metrics = await usageByPod(read.podMetrics, name, container ? source.container : undefined).catch((e) => {
      throw new Error(`unable to get metrics for resource ${name}: ${e.message}`);
    });
    const pods = await read.pods().catch((e) => {
      throw new Error(`unable to get pods while calculating replica count: ${e.message}`);
    });
    return { metrics, pods };
  };
  const key = container ? 'containerResource' : 'resource';
  const describe = { name, ...(container ? { container: source.container } : {}) };
  if (target.averageValue !== undefined) {
    try {
      const { metrics, pods } = await measure();
      const result = rawResourceReplicas(
        current,
        milliValue(target.averageValue),
        name,
        pods,
        metrics,
        input.calculator,
      );
      const status = { type: spec.type, [key]: { ...describe, current: { averageValue: formatMilli(result.usage) } } };
      return { replicas: result.replicas, metric: `${name} resource`, status };
    } catch (error) {
      throw fail(`failed to get ${name} usage: ${(error as Error).message}`);
    }
  }
  if (target.averageUtilization === undefined)
    throw fail(
      'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set',
    );
  try {
    const { metrics, pods } = await measure();
    const result = resourceReplicas(
      current,
      target.averageUtilization,
      name,
      pods,
      metrics,
      input.calculator,
      container ? source.container : undefined,
    );
    const now = { averageUtilization: result.utilization, averageValue: formatMilli(result.rawAverage) };
    const status = { type: spec.type, [key]: { ...describe, current: now } };
    const metric = container
      ? `${name} container resource utilization (percentage of request)`
      : `${name} resource utilization (percentage of request)`;
    return { replicas: result.replicas, metric, status };
  } catch (error) {
    throw fail(`failed to get ${name} utilization: ${(error as Error).message}`);
  }
}

function customMetric(spec: any): never {
  const source = spec[String(spec.type).toLowerCase()];
  const name = source?.metric?.name ?? '';
  const inner =
    spec.type === 'External'
      ? `unable to get external metric ${name}: unable to fetch metrics from external metrics API: ${noCustomMetrics}`
      : `unable to get metric ${name}: unable to fetch metrics from custom metrics API: ${noCustomMetrics}`;
  throw new MetricError(`failed to get ${String(spec.type).toLowerCase()} metric value: ${inner}`, [
    `FailedGet${spec.type}Metric`,
    inner,
  ]);
}

async function metricReplicas(input: MetricsInput, read: ReturnType<typeof sources>, spec: any) {
  switch (spec?.type) {
    case 'Resource':
    case 'ContainerResource':
      return resourceMetric(input, read, spec, input.specReplicas);
    case 'Pods':
    case 'Object':
    case 'External':
      return customMetric(spec);
  }
  const message = `unknown metric source type "${spec?.type ?? ''}"`;
  throw new MetricError(message, ['InvalidMetricSourceType', message]);
}

/** computeReplicasForMetrics: the largest proposal of the metrics that worked, or -1 and the first error. */
export async function computeReplicasForMetrics(input: MetricsInput): Promise<MetricsResult> {
  if (!input.selector) {
    await input.event('Warning', 'SelectorRequired', 'selector is required');
    input.setCondition('ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
    return { replicas: -1, metric: '', statuses: [], error: new Error('selector is required') };
  }
  try {
    parseLabelSelector(input.selector);
  } catch (error) {
    const message = `couldn't convert selector into a corresponding internal selector object: ${(error as Error).message}`;
    await input.event('Warning', 'InvalidSelector', message);
    input.setCondition('ScalingActive', 'False', 'InvalidSelector', message);
    return { replicas: -1, metric: '', statuses: [], error: new Error(message) };
  }
  const specs: any[] = input.hpa.spec?.metrics ?? [];
  const read = sources(input);
  const statuses: any[] = specs.map(() => ({ type: '' }));
  let replicas = 0;
  let metric = '';
  let invalid = 0;
  let first: MetricError | undefined;
  for (const [i, spec] of specs.entries()) {
    try {
      const proposal = await metricReplicas(input, read, spec);
      statuses[i] = proposal.status;
      if (replicas === 0 || proposal.replicas > replicas) [replicas, metric] = [proposal.replicas, proposal.metric];
    } catch (error) {
      if (!(error instanceof MetricError)) throw error;
      const [reason, message] = error.condition;
      await input.event('Warning', reason, message);
      if (invalid++ === 0) first = error;
    }
  }
  const error =
    first && new Error(`invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${first.message}`);
  if (invalid >= specs.length || (invalid > 0 && replicas < input.specReplicas)) {
    const [reason, message] = first?.condition ?? ['InvalidMetricSourceType', 'no metrics'];
    input.setCondition('ScalingActive', 'False', reason, `the HPA was unable to compute the replica count: ${message}`);
    return { replicas: -1, metric: '', statuses, error };
  }
  input.setCondition(
    'ScalingActive',
    'True',
    'ValidMetricFound',
    `the HPA was able to successfully calculate a replica count from ${metric}`,
  );
  return { replicas, metric, statuses, error };
}
