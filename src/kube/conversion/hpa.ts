// HorizontalPodAutoscaler autoscaling/v2 ↔ autoscaling/v1, as Kubernetes converts it: v1 keeps the CPU utilization
// target in spec.targetCPUUtilizationPercentage and everything else v2 has in round-trip annotations.
import type { KubeObject } from '../api/types.js';
import { defined, metricSpecFromV1, metricSpecToV1, metricStatusFromV1, metricStatusToV1 } from './hpa-metrics.js';

const annotations = {
  metrics: 'autoscaling.alpha.kubernetes.io/metrics',
  currentMetrics: 'autoscaling.alpha.kubernetes.io/current-metrics',
  conditions: 'autoscaling.alpha.kubernetes.io/conditions',
  behavior: 'autoscaling.alpha.kubernetes.io/behavior',
};
const roundTrip = new Set(Object.values(annotations));
const defaultCpuUtilization = 80;

const isCpuUtilization = (m: any) =>
  m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.averageUtilization !== undefined;

function withoutRoundTrip(metadata: any): any {
  const kept = Object.entries(metadata.annotations ?? {}).filter(([key]) => !roundTrip.has(key));
  const out = { ...metadata };
  if (kept.length) out.annotations = Object.fromEntries(kept);
  else delete out.annotations;
  return out;
}

function parse(text: string | undefined): any {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function hpaToV1(hpa: KubeObject): KubeObject {
  const spec = hpa.spec ?? {};
  const status = hpa.status ?? {};
  const metadata = withoutRoundTrip(hpa.metadata);
  const extra: Record<string, string> = {};
  const others = (spec.metrics ?? []).filter((m: any) => !isCpuUtilization(m)).map(metricSpecToV1);
  if (others.length) extra[annotations.metrics] = JSON.stringify(others);
  if (status.currentMetrics?.length)
    extra[annotations.currentMetrics] = JSON.stringify(status.currentMetrics.map(metricStatusToV1));
  if (spec.behavior) extra[annotations.behavior] = JSON.stringify(spec.behavior);
  if (status.conditions?.length) extra[annotations.conditions] = JSON.stringify(status.conditions);
  if (Object.keys(extra).length) metadata.annotations = { ...metadata.annotations, ...extra };
  const cpu = (spec.metrics ?? []).find(isCpuUtilization);
  const currentCpu = (status.currentMetrics ?? []).find(
    (m: any) =>
      m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.current?.averageUtilization !== undefined,
  );
  const out: KubeObject = {
    ...hpa,
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: defined({
      scaleTargetRef: spec.scaleTargetRef,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      targetCPUUtilizationPercentage: cpu?.resource.target.averageUtilization,
    }),
  };
  if (hpa.status)
    out.status = defined({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: currentCpu?.resource.current.averageUtilization,
    });
  return out;
}

/** An autoscaling/v1 HPA in the storage version, autoscaling/v2. */
export function hpaFromV1(hpa: KubeObject): KubeObject {
  const spec = hpa.spec ?? {};
  const status = hpa.status ?? {};
  const notes = hpa.metadata.annotations ?? {};
  const metrics: any[] = (parse(notes[annotations.metrics]) ?? []).map(metricSpecFromV1);
  if (spec.targetCPUUtilizationPercentage !== undefined)
    metrics.push({
      type: 'Resource',
      resource: {
        name: 'cpu',
        target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage },
      },
    });
  if (metrics.length === 0)
    metrics.push({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: defaultCpuUtilization } },
    });
  const behavior = parse(notes[annotations.behavior]);
  let currentMetrics: any[] | undefined = parse(notes[annotations.currentMetrics])?.map(metricStatusFromV1);
  if (!currentMetrics && status.currentCPUUtilizationPercentage !== undefined)
    currentMetrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } },
      },
    ];
  const out: KubeObject = {
    ...hpa,
    apiVersion: 'autoscaling/v2',
    metadata: withoutRoundTrip(hpa.metadata),
    spec: defined({
      scaleTargetRef: spec.scaleTargetRef,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      metrics,
      behavior: behavior && Object.keys(behavior).length ? behavior : undefined,
    }),
  };
  if (hpa.status)
    out.status = defined({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas,
      desiredReplicas: status.desiredReplicas ?? 0,
      currentMetrics,
      conditions: parse(notes[annotations.conditions]),
    });
  return out;
}
