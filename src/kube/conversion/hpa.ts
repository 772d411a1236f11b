// HorizontalPodAutoscaler autoscaling/v2 ↔ autoscaling/v1, as Kubernetes converts it: v1 keeps the CPU utilization
// target in spec.targetCPUUtilizationPercentage and everything else v2 has in round-trip annotations.
import type { KubeObject } from '../api/types.js';

const annotations = {
  metrics: 'autoscaling.alpha.kubernetes.io/metrics',
  currentMetrics: 'autoscaling.alpha.kubernetes.io/current-metrics',
  conditions: 'autoscaling.alpha.kubernetes.io/conditions',
  behavior: 'autoscaling.alpha.kubernetes.io/behavior',
};
const roundTrip = new Set(Object.values(annotations));
const defaultCpuUtilization = 80;

const defined = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

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

function metricSpecToV1(m: any): any {
  const t = (source: any) => source?.target ?? {};
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const key = m.type === 'Resource' ? 'resource' : 'containerResource';
      const s = m[key] ?? {};
      const source = defined({
        name: s.name,
        targetAverageUtilization: t(s).averageUtilization,
        targetAverageValue: t(s).averageValue,
        container: s.container,
      });
      return { type: m.type, [key]: source };
    }
    case 'Pods':
      return {
        type: 'Pods',
        pods: defined({
          metricName: m.pods?.metric?.name,
          selector: m.pods?.metric?.selector,
          targetAverageValue: t(m.pods).averageValue,
        }),
      };
    case 'Object':
      return {
        type: 'Object',
        object: defined({
          target: m.object?.describedObject,
          metricName: m.object?.metric?.name,
          selector: m.object?.metric?.selector,
          targetValue: t(m.object).value,
          averageValue: t(m.object).averageValue,
        }),
      };
    case 'External':
      return {
        type: 'External',
        external: defined({
          metricName: m.external?.metric?.name,
          metricSelector: m.external?.metric?.selector,
          targetValue: t(m.external).value,
          targetAverageValue: t(m.external).averageValue,
        }),
      };
  }
  return { type: m.type };
}

function metricSpecFromV1(m: any): any {
  const metric = (name: string, selector: unknown) => defined({ name, selector });
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const key = m.type === 'Resource' ? 'resource' : 'containerResource';
      const s = m[key] ?? {};
      const target =
        s.targetAverageUtilization === undefined
          ? { type: 'AverageValue', averageValue: s.targetAverageValue }
          : { type: 'Utilization', averageUtilization: s.targetAverageUtilization };
      return { type: m.type, [key]: defined({ name: s.name, container: s.container, target }) };
    }
    case 'Pods':
      return {
        type: 'Pods',
        pods: {
          metric: metric(m.pods?.metricName, m.pods?.selector),
          target: { type: 'AverageValue', averageValue: m.pods?.targetAverageValue },
        },
      };
    case 'Object': {
      const o = m.object ?? {};
      const target =
        o.averageValue === undefined
          ? { type: 'Value', value: o.targetValue }
          : { type: 'AverageValue', averageValue: o.averageValue };
      return {
        type: 'Object',
        object: { describedObject: o.target, metric: metric(o.metricName, o.selector), target },
      };
    }
    case 'External': {
      const e = m.external ?? {};
      const target =
        e.targetValue !== undefined
          ? { type: 'Value', value: e.targetValue }
          : { type: 'AverageValue', averageValue: e.targetAverageValue };
      return { type: 'External', external: { metric: metric(e.metricName, e.metricSelector), target } };
    }
  }
  return { type: m.type };
}

function metricStatusToV1(m: any): any {
  const c = (source: any) => source?.current ?? {};
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const key = m.type === 'Resource' ? 'resource' : 'containerResource';
      const s = m[key] ?? {};
      return {
        type: m.type,
        [key]: defined({
          name: s.name,
          container: s.container,
          currentAverageUtilization: c(s).averageUtilization,
          currentAverageValue: c(s).averageValue,
        }),
      };
    }
    case 'Pods':
      return {
        type: 'Pods',
        pods: defined({
          metricName: m.pods?.metric?.name,
          selector: m.pods?.metric?.selector,
          currentAverageValue: c(m.pods).averageValue,
        }),
      };
    case 'Object':
      return {
        type: 'Object',
        object: defined({
          target: m.object?.describedObject,
          metricName: m.object?.metric?.name,
          selector: m.object?.metric?.selector,
          currentValue: c(m.object).value,
          averageValue: c(m.object).averageValue,
        }),
      };
    case 'External':
      return {
        type: 'External',
        external: defined({
          metricName: m.external?.metric?.name,
          metricSelector: m.external?.metric?.selector,
          currentValue: c(m.external).value,
          currentAverageValue: c(m.external).averageValue,
        }),
      };
  }
  return { type: m.type ?? '' };
}

function metricStatusFromV1(m: any): any {
  const metric = (name: string, selector: unknown) => defined({ name, selector });
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const key = m.type === 'Resource' ? 'resource' : 'containerResource';
      const s = m[key] ?? {};
      const current = defined({ averageUtilization: s.currentAverageUtilization, averageValue: s.currentAverageValue });
      return { type: m.type, [key]: defined({ name: s.name, container: s.container, current }) };
    }
    case 'Pods':
      return {
        type: 'Pods',
        pods: {
          metric: metric(m.pods?.metricName, m.pods?.selector),
          current: defined({ averageValue: m.pods?.currentAverageValue }),
        },
      };
    case 'Object': {
      const o = m.object ?? {};
      const current = defined({ value: o.currentValue, averageValue: o.averageValue });
      return {
        type: 'Object',
        object: { describedObject: o.target, metric: metric(o.metricName, o.selector), current },
      };
    }
    case 'External': {
      const e = m.external ?? {};
      const current = defined({ value: e.currentValue, averageValue: e.currentAverageValue });
      return { type: 'External', external: { metric: metric(e.metricName, e.metricSelector), current } };
    }
  }
  return { type: m.type ?? '' };
}

/** A stored autoscaling/v2 HPA as autoscaling/v1 shows it. */
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
