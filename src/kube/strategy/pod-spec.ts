// The pod spec rules users hit, as kube-apiserver's ValidatePodSpec words them, for Pods and for the pod templates
// of workloads: containers present, named uniquely by DNS-1123 labels, with images, ports in range with supported
// protocols, and a restart policy the owning kind allows.
import type { FieldCause } from '../api/errors.js';
import { validateName } from './names.js';

const required = (field: string): FieldCause => ({ field, reason: 'FieldValueRequired', message: 'Required value' });

/** kube's field.NotSupported: `Unsupported value: "x": supported values: "a", "b"`. */
export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldCause {
  return {
    field,
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
  };
}

export const podRestartPolicies = ['Always', 'OnFailure', 'Never'] as const;
const protocols = ['SCTP', 'TCP', 'UDP'] as const;
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;

function validatePorts(ports: unknown, path: string): FieldCause[] {
  if (!Array.isArray(ports)) return [];
  const causes: FieldCause[] = [];
  ports.forEach((port, i) => {
    const at = `${path}[${i}]`;
    if (port?.containerPort === undefined || port.containerPort === null) causes.push(required(`${at}.containerPort`));
    else if (port.containerPort < 1 || port.containerPort > 65535) {
      causes.push({
        field: `${at}.containerPort`,
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${port.containerPort}: must be between 1 and 65535, inclusive`,
      });
    }
    if (port?.protocol !== undefined && !protocols.includes(port.protocol)) {
      causes.push(notSupported(`${at}.protocol`, port.protocol, protocols));
    }
  });
  return causes;
}

function validateContainers(containers: unknown, path: string, atLeastOne: boolean, seen: Set<string>): FieldCause[] {
  if (!Array.isArray(containers) || containers.length === 0) return atLeastOne ? [required(path)] : [];
  const causes: FieldCause[] = [];
  containers.forEach((container, i) => {
    const at = `${path}[${i}]`;
    const name = container?.name;
    if (!name) causes.push(required(`${at}.name`));
    else {
      causes.push(...validateName(name, 'label', `${at}.name`));
      if (seen.has(name))
        causes.push({ field: `${at}.name`, reason: 'FieldValueDuplicate', message: `Duplicate value: "${name}"` });
      seen.add(name);
    }
    if (!container?.image) causes.push(required(`${at}.image`));
    causes.push(...validatePorts(container?.ports, `${at}.ports`));
  });
  return causes;
}

/** The causes against a pod spec found at `path` (`spec`, `spec.template.spec`); `restartPolicies` the owner allows. */
export function validatePodSpec(
  spec: any,
  path: string,
  restartPolicies: readonly string[] = podRestartPolicies,
): FieldCause[] {
  if (!spec || typeof spec !== 'object') return [required(`${path}.containers`)];
  const seen = new Set<string>();
  const causes = [
    ...validateContainers(spec.initContainers, `${path}.initContainers`, false, seen),
    ...validateContainers(spec.containers, `${path}.containers`, true, seen),
  ];
  if (spec.restartPolicy !== undefined && !restartPolicies.includes(spec.restartPolicy)) {
    causes.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, restartPolicies));
  }
  if (spec.dnsPolicy !== undefined && !dnsPolicies.includes(spec.dnsPolicy)) {
    causes.push(notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, dnsPolicies));
  }
  return causes;
}
