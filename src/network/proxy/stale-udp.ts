// UDP has no connection to end, so conntrack keeps sending a flow to the endpoint it was first NATed to; as
// kube-proxy does, when an endpoint leaves a UDP service port its flows are deleted, and when a UDP service port
// gets its first endpoints the flows it had without any (un-NATed, refused) are deleted too. A pure diff of the
// UDP endpoints, and the `conntrack -D` commands it takes inside the VPC namespace.
import type { KubeObject } from '../../kube/api/types.js';
import { portEndpoints, slicesOf, usable } from './endpoints.js';

/** `clusterIP:port` of each UDP service port → the IPs of the endpoints it sends to. */
export type UdpEndpoints = Map<string, Set<string>>;

export function udpEndpoints(services: KubeObject[], slices: KubeObject[]): UdpEndpoints {
  const out: UdpEndpoints = new Map();
  for (const service of services) {
    const ip = service.spec?.clusterIP;
    if (service.spec?.type === 'ExternalName' || !ip || ip === 'None') continue;
    const own = slicesOf(service, slices);
    for (const port of service.spec.ports ?? []) {
      if (port.protocol !== 'UDP') continue;
      out.set(`${ip}:${port.port}`, new Set(usable(portEndpoints(port, own)).map((e) => e.ip)));
    }
  }
  return out;
}

/** The conntrack arguments (after `conntrack -D -p udp`) that clear flows made stale by going from `old` to `now`. */
export function staleFlows(old: UdpEndpoints, now: UdpEndpoints): string[][] {
  const deletions: string[][] = [];
  for (const [key, endpoints] of now) {
    const [ip, port] = key.split(':') as [string, string];
    const before = old.get(key) ?? new Set<string>();
    if (before.size === 0 && endpoints.size > 0) deletions.push(['--orig-dst', ip, '--orig-port-dst', port]);
  }
  for (const [key, before] of old) {
    const [ip, port] = key.split(':') as [string, string];
    const after = now.get(key) ?? new Set<string>();
    for (const endpoint of [...before].sort()) {
      if (!after.has(endpoint)) deletions.push(['--orig-dst', ip, '--orig-port-dst', port, '--dst-nat', endpoint]);
    }
  }
  return deletions;
}
