// What the proxy routes to for one service port, read off the Service's EndpointSlices as kube-proxy reads them:
// the slice port of the same name and protocol gives the target port (a named targetPort is resolved there, per
// pod), the first address of each, IPv4 slices only. Traffic goes to the ready endpoints (conditions.ready unset
// counts as ready); where there are none, to those still serving while they terminate, as kube-proxy does.
import type { KubeObject } from '../../kube/api/types.js';

export const serviceNameLabel = 'kubernetes.io/service-name';

export interface Endpoint {
  ip: string;
  port: number;
  nodeName?: string;
  /** Not ready, but serving while it terminates: used only where no endpoint is ready. */
  terminating?: boolean;
}

/** The ready endpoints of `endpoints`, else the serving terminating ones. */
export function usable(endpoints: Endpoint[]): Endpoint[] {
  const ready = endpoints.filter((e) => !e.terminating);
  return ready.length ? ready : endpoints;
}

export function slicesOf(service: KubeObject, slices: KubeObject[]): KubeObject[] {
  const { namespace, name } = service.metadata;
  return slices.filter(
    (s) =>
      s.metadata.namespace === namespace &&
      s.metadata.labels?.[serviceNameLabel] === name &&
      (s.addressType ?? 'IPv4') === 'IPv4',
  );
}

/** Every endpoint that may take traffic (ready, or serving while terminating) for one service port. */
export function portEndpoints(servicePort: any, slices: KubeObject[]): Endpoint[] {
  const name = servicePort.name ?? '';
  const protocol = servicePort.protocol ?? 'TCP';
  const found = new Map<string, Endpoint>();
  for (const slice of slices) {
    const port = (slice.ports ?? []).find((p: any) => (p.name ?? '') === name && (p.protocol ?? 'TCP') === protocol);
    if (typeof port?.port !== 'number') continue;
    for (const endpoint of slice.endpoints ?? []) {
      const ip = endpoint.addresses?.[0];
      const conditions = endpoint.conditions ?? {};
      const ready = conditions.ready !== false;
      const servingTerminating = conditions.serving === true && conditions.terminating === true;
      if (!ip || (!ready && !servingTerminating)) continue;
      const key = `${ip}:${port.port}`;
      if (found.has(key) && !found.get(key)!.terminating) continue;
      found.set(key, { ip, port: port.port, nodeName: endpoint.nodeName, ...(ready ? {} : { terminating: true }) });
    }
  }
  return [...found.values()].sort((a, b) => compareIp(a.ip, b.ip) || a.port - b.port);
}

function compareIp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
