// The autoscaling/v1 forms of v2 metric specs and statuses (the shapes Kubernetes keeps in an autoscaling/v1 HPA's
// round-trip annotations: targetAverageUtilization, metricName, currentAverageValue …) and back.

export const defined = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function metricSpecToV1(m: any): any {
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

export function metricSpecFromV1(m: any): any {
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

export function metricStatusToV1(m: any): any {
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

export function metricStatusFromV1(m: any): any {
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
