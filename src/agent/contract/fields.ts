// The downward API's values, as the kubelet resolves them: a pod field (fieldRef) for env and for downwardAPI
// volume files, and a container resource (resourceFieldRef) with its divisor, where a missing limit stands for
// the node's allocatable.
import { quantityMilliValue, quantityValue } from '../../fargate/quantity.js';
import type { SandboxPod } from '../driver.js';
import type { Container } from '../lifecycle/runtime.js';

/** Go's strconv.Quote for the label and annotation maps of downwardAPI files. */
function goQuote(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `k="v"` lines sorted by key (the kubelet's FormatMap), for `metadata.labels` and `metadata.annotations`. */
export function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((key) => `${key}=${goQuote(String(map![key]))}`)
    .join('\n');
}

/**
 * A fieldRef's value, or undefined when the path is not one the kubelet resolves. `volume` allows what only
 * downwardAPI volumes may name (all labels, all annotations).
 */
export function podFieldValue(pod: SandboxPod, fieldPath: string, volume = false): string | undefined {
  const meta = pod.pod.metadata;
  const label = /^metadata\.labels\['(.+)'\]$/.exec(fieldPath);
  if (label) return meta.labels?.[label[1]!] ?? '';
  const annotation = /^metadata\.annotations\['(.+)'\]$/.exec(fieldPath);
  if (annotation) return meta.annotations?.[annotation[1]!] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return pod.name;
    case 'metadata.namespace':
      return pod.namespace;
    case 'metadata.uid':
      return pod.uid;
    case 'metadata.labels':
      return volume ? formatMap(meta.labels) : undefined;
    case 'metadata.annotations':
      return volume ? formatMap(meta.annotations) : undefined;
    case 'spec.nodeName':
      return volume ? undefined : pod.nodeName;
    case 'spec.serviceAccountName':
      return volume ? undefined : (pod.pod.spec?.serviceAccountName ?? '');
    case 'status.podIP':
      return volume ? undefined : pod.podIP;
    case 'status.podIPs':
      return volume ? undefined : pod.podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return volume ? undefined : pod.hostIP;
    default:
      return undefined;
  }
}

export interface ResourceFieldRef {
  containerName?: string;
  resource: string;
  divisor?: string | number;
}

/** The node's allocatable, standing in for limits a container does not set. */
export type Allocatable = Record<string, string | number>;

/** `ceil(quantity / divisor)`, in milli-units for cpu, whole units for everything else (the kubelet's rounding). */
function divided(resource: string, quantity: string | number | undefined, divisor: string | number): string {
  if (resource === 'cpu') {
    const milli = quantity === undefined ? 0 : quantityMilliValue(quantity);
    return String(Math.ceil(milli / quantityMilliValue(divisor)));
  }
  const value = quantity === undefined ? 0 : quantityValue(quantity);
  return String(Math.ceil(value / quantityValue(divisor)));
}

/** A resourceFieldRef's value; throws the kubelet's error for a resource it does not know. */
export function resourceFieldValue(container: Container, ref: ResourceFieldRef, allocatable: Allocatable): string {
  const divisor =
    ref.divisor === undefined || ref.divisor === '' || quantityMilliValue(ref.divisor) === 0 ? '1' : ref.divisor;
  const match = /^(limits|requests)\.(.+)$/.exec(ref.resource ?? '');
  const resource = match?.[2] ?? '';
  const known = ['cpu', 'memory', 'ephemeral-storage'].includes(resource) || resource.startsWith('hugepages-');
  if (!match || !known) throw new Error(`unsupported container resource : ${ref.resource}`);
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  if (match[1] === 'limits') {
    const fallback = resource.startsWith('hugepages-') ? undefined : allocatable[resource];
    return divided(resource, limits[resource] ?? fallback, divisor);
  }
  return divided(resource, requests[resource], divisor);
}
