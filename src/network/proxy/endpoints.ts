// What the proxy routes to for one service port, read off the Service's EndpointSlices as kube-proxy reads them:
// the slice port of the same name and protocol gives the target port (a named targetPort is resolved there, per
// pod), only ready endpoints (conditions.ready unset counts as ready), the first address of each, IPv4 slices only.
import type { KubeObject } from '../../kube/api/types.js';

export const serviceNameLabel = 'kubernetes.io/service-name';

export interface Endpoint {
  ip: string;
  port: number;
  nodeName?: string;
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

export function readyEndpoints(servicePort: any, slices: KubeObject[]): Endpoint[] {
  const name = servicePort.name ?? '';
  const protocol = servicePort.protocol ?? 'TCP';
  const found = new Map<string, Endpoint>();
  for (const slice of slices) {
    const port = (slice.ports ?? []).find((p: any) => (p.name ?? '') === name && (p.protocol ?? 'TCP') === protocol);
    if (typeof port?.port !== 'number') continue;
    for (const endpoint of slice.endpoints ?? []) {
      const ip = endpoint.addresses?.[0];
      if (!ip || endpoint.conditions?.ready === false) continue;
      found.set(`${ip}:${port.port}`, { ip, port: port.port, nodeName: endpoint.nodeName });
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
