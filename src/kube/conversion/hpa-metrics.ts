// The autoscaling/v1 forms of v2 metric specs and statuses (the shapes Kubernetes keeps in an autoscaling/v1 HPA's
// round-trip annotations: targetAverageUtilization, metricName, currentAverageValue …) and back, from one table.

export const defined = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** A spec's `target` or a status's `current`; in v1 names `*` stands for its prefix (targetValue, currentValue). */
type Side = 'target' | 'current';

/** Each metric type's v2 source field and its v1 fields: [v1 name, v2 path], `@` being the target or current. */
const metricTypes: Record<string, { source: string; fields: [v1: string, v2: string][] }> = {
  Resource: {
    source: 'resource',
    fields: [
      ['name', 'name'],
      ['*AverageUtilization', '@.averageUtilization'],
      ['*AverageValue', '@.averageValue'],
      ['container', 'container'],
    ],
  },
  Pods: {
    source: 'pods',
    fields: [
      ['metricName', 'metric.name'],
      ['selector', 'metric.selector'],
      ['*AverageValue', '@.averageValue'],
    ],
  },
  Object: {
    source: 'object',
    fields: [
      ['target', 'describedObject'],
      ['metricName', 'metric.name'],
      ['selector', 'metric.selector'],
      ['*Value', '@.value'],
      ['averageValue', '@.averageValue'],
    ],
  },
  External: {
    source: 'external',
    fields: [
      ['metricName', 'metric.name'],
      ['metricSelector', 'metric.selector'],
      ['*Value', '@.value'],
      ['*AverageValue', '@.averageValue'],
    ],
  },
};
metricTypes.ContainerResource = { ...metricTypes.Resource, source: 'containerResource' };

/** Which v2 target a v1 spec means: the first field when it is set, else the second (conversion.go's choice). */
const targetChoice: Record<string, [first: string, otherwise: string]> = {
  Resource: ['averageUtilization', 'averageValue'],
  ContainerResource: ['averageUtilization', 'averageValue'],
  Pods: ['averageValue', 'averageValue'],
  Object: ['averageValue', 'value'],
  External: ['value', 'averageValue'],
};
const targetTypes: Record<string, string> = {
  averageUtilization: 'Utilization',
  averageValue: 'AverageValue',
  value: 'Value',
};

const v1Name = (name: string, side: Side) => name.replace('*', side);
const get = (o: any, path: string) => path.split('.').reduce((v, key) => v?.[key], o);

function toV1(m: any, side: Side): any {
  const type = metricTypes[m.type];
  if (!type) return { type: m.type ?? (side === 'current' ? '' : undefined) };
  const s = m[type.source] ?? {};
  const out = Object.fromEntries(type.fields.map(([v1, v2]) => [v1Name(v1, side), get(s, v2.replace('@', side))]));
  return { type: m.type, [type.source]: defined(out) };
}

function fromV1(m: any, side: Side): any {
  const type = metricTypes[m.type];
  if (!type) return { type: m.type ?? (side === 'current' ? '' : undefined) };
  const s = m[type.source] ?? {};
  const out: Record<string, any> = {};
  const values: Record<string, unknown> = {};
  for (const [v1, v2] of type.fields) {
    const value = s[v1Name(v1, side)];
    const [head, leaf] = v2.split('.');
    if (head === '@') values[leaf] = value;
    else if (leaf) out[head] = defined({ ...out[head], [leaf]: value });
    else if (value !== undefined) out[head] = value;
  }
  if (side === 'current') out.current = defined(values);
  else {
    const [first, otherwise] = targetChoice[m.type];
    const field = values[first] !== undefined ? first : otherwise;
    out.target = { type: targetTypes[field], [field]: values[field] };
  }
  return { type: m.type, [type.source]: out };
}

export const metricSpecToV1 = (m: any): any => toV1(m, 'target');
export const metricSpecFromV1 = (m: any): any => fromV1(m, 'target');
export const metricStatusToV1 = (m: any): any => toV1(m, 'current');
export const metricStatusFromV1 = (m: any): any => fromV1(m, 'current');
