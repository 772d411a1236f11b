// The HorizontalPodAutoscaler strategy (autoscaling/v2 and v1): kube-apiserver's defaults (minReplicas 1, a CPU
// 80% metric when none is given, the scale-up/down rules of a partly given behavior) and its spec validation.

import { quantityMilliValue } from '../../fargate/quantity.js';
import type { FieldCause } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { Strategy } from './types.js';

const scaleUpDefaults = () => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});
/** The scale-down window stays unset: the controller applies its own default (300 s). */
const scaleDownDefaults = () => ({
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

function withDefaults(rules: any, defaults: Record<string, unknown>): any {
  const out: any = { ...defaults };
  for (const key of ['stabilizationWindowSeconds', 'selectPolicy', 'policies'])
    if (rules?.[key] !== undefined && rules[key] !== null) out[key] = rules[key];
  return out;
}

function setDefaults(object: KubeObject): void {
  object.spec ??= {};
  const spec = object.spec;
  spec.minReplicas ??= 1;
  if (object.apiVersion === 'autoscaling/v1') return;
  if (!spec.metrics?.length)
    spec.metrics = [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
    ];
  if (spec.behavior) {
    spec.behavior.scaleUp = withDefaults(spec.behavior.scaleUp, scaleUpDefaults());
    spec.behavior.scaleDown = withDefaults(spec.behavior.scaleDown, scaleDownDefaults());
  }
}

const invalid = (field: string, value: unknown, message: string): FieldCause => ({
  field,
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${message}`,
});
const required = (field: string, message = ''): FieldCause => ({
  field,
  reason: 'FieldValueRequired',
  message: message ? `Required value: ${message}` : 'Required value',
});

function positiveQuantity(field: string, value: unknown): FieldCause[] {
  if (value === undefined) return [];
  try {
    if (quantityMilliValue(value as string) > 0) return [];
  } catch {
    return [invalid(field, value, 'must be a quantity')];
  }
  return [invalid(field, value, 'must be positive')];
}

function validateTarget(path: string, target: any, isResource: boolean): FieldCause[] {
  if (!target?.type) return [required(`${path}.type`, 'must specify a metric target type')];
  const causes: FieldCause[] = [];
  if (!['Utilization', 'Value', 'AverageValue'].includes(target.type))
    causes.push(invalid(`${path}.type`, target.type, 'must be either Utilization, Value, or AverageValue'));
  causes.push(...positiveQuantity(`${path}.value`, target.value));
  causes.push(...positiveQuantity(`${path}.averageValue`, target.averageValue));
  if (target.averageUtilization !== undefined && !(target.averageUtilization >= 1))
    causes.push(invalid(`${path}.averageUtilization`, target.averageUtilization, 'must be greater than 0'));
  if (isResource && target.averageUtilization === undefined && target.averageValue === undefined)
    causes.push(required(`${path}.averageUtilization`, 'must set either a target raw value or a target utilization'));
  if (isResource && target.averageUtilization !== undefined && target.averageValue !== undefined)
    causes.push({
      field: `${path}.averageValue`,
      reason: 'FieldValueForbidden',
      message: 'Forbidden: may not set both a target raw value and a target utilization',
    });
  return causes;
}

const sources: Record<string, string> = {
  Resource: 'resource',
  ContainerResource: 'containerResource',
  Pods: 'pods',
  Object: 'object',
  External: 'external',
};

function validateMetric(path: string, metric: any): FieldCause[] {
  const key = sources[metric?.type];
  if (!metric?.type) return [required(`${path}.type`, 'must specify a metric source type')];
  if (!key)
    return [
      {
        field: `${path}.type`,
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${metric.type}": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"`,
      },
    ];
  const source = metric[key];
  if (!source) return [required(`${path}.${key}`, `must populate information for the given metric source`)];
  const causes: FieldCause[] = [];
  const isResource = key === 'resource' || key === 'containerResource';
  if (isResource && !source.name) causes.push(required(`${path}.${key}.name`, 'must specify a resource name'));
  if (key === 'containerResource' && !source.container)
    causes.push(required(`${path}.${key}.container`, 'must specify a container'));
  if (!isResource && !source.metric?.name)
    causes.push(required(`${path}.${key}.metric.name`, 'must specify a metric name'));
  causes.push(...validateTarget(`${path}.${key}.target`, source.target, isResource));
  return causes;
}

function validateRules(path: string, rules: any): FieldCause[] {
  if (!rules) return [];
  const causes: FieldCause[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (window !== undefined && window < 0)
    causes.push(invalid(`${path}.stabilizationWindowSeconds`, window, 'must be greater than or equal to zero'));
  if (window !== undefined && window > 3600)
    causes.push(invalid(`${path}.stabilizationWindowSeconds`, window, 'must be less than or equal to 3600'));
  if (rules.selectPolicy !== undefined && !['Max', 'Min', 'Disabled'].includes(rules.selectPolicy))
    causes.push({
      field: `${path}.selectPolicy`,
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${rules.selectPolicy}": supported values: "Disabled", "Max", "Min"`,
    });
  if (!rules.policies?.length) causes.push(required(`${path}.policies`, 'must specify at least one Policy'));
  for (const [i, policy] of (rules.policies ?? []).entries()) {
    const at = `${path}.policies[${i}]`;
    if (policy.type !== 'Pods' && policy.type !== 'Percent')
      causes.push(invalid(`${at}.type`, policy.type, 'policy type must be either Pods or Percent'));
    if (!(policy.periodSeconds > 0))
      causes.push(invalid(`${at}.periodSeconds`, policy.periodSeconds, 'must be greater than zero'));
    else if (policy.periodSeconds > 1800)
      causes.push(invalid(`${at}.periodSeconds`, policy.periodSeconds, 'must be less than or equal to 1800'));
    if (!(policy.value > 0)) causes.push(invalid(`${at}.value`, policy.value, 'must be greater than zero'));
  }
  return causes;
}

function validate(object: KubeObject): FieldCause[] {
  const spec = object.spec ?? {};
  const causes: FieldCause[] = [];
  if (!spec.scaleTargetRef?.kind) causes.push(required('spec.scaleTargetRef.kind'));
  if (!spec.scaleTargetRef?.name) causes.push(required('spec.scaleTargetRef.name'));
  if (spec.minReplicas !== undefined && !(spec.minReplicas >= 1))
    causes.push(invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  if (!(spec.maxReplicas >= 1))
    causes.push(invalid('spec.maxReplicas', spec.maxReplicas ?? 0, 'must be greater than 0'));
  else if (spec.minReplicas !== undefined && spec.maxReplicas < spec.minReplicas)
    causes.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  if (object.apiVersion === 'autoscaling/v1') {
    const cpu = spec.targetCPUUtilizationPercentage;
    if (cpu !== undefined && !(cpu >= 1))
      causes.push(invalid('spec.targetCPUUtilizationPercentage', cpu, 'must be greater than or equal to 1'));
    return causes;
  }
  for (const [i, metric] of (spec.metrics ?? []).entries())
    causes.push(...validateMetric(`spec.metrics[${i}]`, metric));
  causes.push(...validateRules('spec.behavior.scaleUp', spec.behavior?.scaleUp));
  causes.push(...validateRules('spec.behavior.scaleDown', spec.behavior?.scaleDown));
  return causes;
}

export const horizontalPodAutoscalerStrategy: Strategy = {
  prepareForCreate(object) {
    setDefaults(object);
    object.status =
      object.apiVersion === 'autoscaling/v1' ? { currentReplicas: 0, desiredReplicas: 0 } : { desiredReplicas: 0 };
  },
  prepareForUpdate(object) {
    setDefaults(object);
  },
  validate,
};
