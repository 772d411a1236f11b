// What the Endpoints and EndpointSlice controllers read from pods and services (Kubernetes' endpointsliceutil):
// which pods a service selects, which belong in endpoints, a service port's target on a pod, hostnames.

import type { Lister } from '../../client/lister.js';
import type { KubeObject } from '../../kube/api/types.js';
import { requirementsOf } from '../../kube/selectors/labels.js';

export const podRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace });
export const serviceRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'Service', namespace });
export const headlessLabel = 'service.kubernetes.io/headless';

export function isPodReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** Whether the service gets endpoints from a controller: it has a selector and is not ExternalName. */
export function hasSelector(service: KubeObject): boolean {
  return service.spec?.type !== 'ExternalName' && service.spec?.selector != null;
}

export function selects(service: KubeObject, pod: KubeObject): boolean {
  if (!hasSelector(service) || service.metadata.namespace !== pod.metadata.namespace) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(service.spec.selector as Record<string, string>).every(([k, v]) => labels[k] === v);
}

/** The pods of the Service's namespace its selector matches, from the shared cache. */
export function podsOf(podLister: Lister, service: KubeObject): KubeObject[] {
  return podLister.list(service.metadata.namespace!, requirementsOf({ matchLabels: service.spec.selector }));
}

/** `ShouldPodBeInEndpoints`: not finished, has an IP, and (unless tolerated) not terminating. */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!podIPv4(pod)) return false;
  return includeTerminating || !pod.metadata.deletionTimestamp;
}

const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function podIPv4(pod: KubeObject): string | undefined {
  const ips: string[] = [pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((p: { ip: string }) => p.ip)];
  return ips.find((ip) => typeof ip === 'string' && ipv4.test(ip));
}

/** `podutil.FindPort`: a numeric targetPort as is; a named one from the containers' (and sidecars') ports. */
export function findPort(pod: KubeObject, servicePort: any): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  const protocol = servicePort.protocol ?? 'TCP';
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  const sidecars = (pod.spec?.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always');
  for (const container of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/** `ShouldSetHostname`: the pod names itself with hostname and the service as its subdomain. */
export function shouldSetHostname(pod: KubeObject, service: KubeObject): boolean {
  return (
    Boolean(pod.spec?.hostname) &&
    pod.spec?.subdomain === service.metadata.name &&
    pod.metadata.namespace === service.metadata.namespace
  );
}

/** `IsServiceIPSet`: a headless service (clusterIP None or empty) is not. */
export function isServiceIPSet(service: KubeObject): boolean {
  const ip = service.spec?.clusterIP;
  return Boolean(ip) && ip !== 'None';
}

export function targetRefOf(pod: KubeObject) {
  const { namespace, name, uid } = pod.metadata;
  return { kind: 'Pod', namespace, name, uid };
}
