// discovery.k8s.io kinds: EndpointSlice (`printEndpointSlice`: address type, up to three ports and addresses).
import type { KubeObject } from '../../api/types.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { since } from '../duration.js';
import type { Printer } from '../types.js';

/** `listWithMoreString`: the first three, then "+ N more...", or <unset> when there are none. */
function firstThree(values: string[]): string {
  const shown = values.slice(0, 3).join(',');
  if (values.length > 3) return `${shown} + ${values.length - 3} more...`;
  return shown || '<unset>';
}

const ports = (slice: KubeObject) =>
  (slice.ports ?? []).map((p: { port?: number; name?: string }) => (p.port != null ? String(p.port) : (p.name ?? '*')));

const addresses = (slice: KubeObject) =>
  (slice.endpoints ?? []).flatMap((e: { addresses?: string[] }) => e.addresses ?? []);

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn(),
    column('AddressType', 'string', 'discovery.v1.EndpointSlice#addressType'),
    column('Ports', 'string', 'discovery.v1.EndpointSlice#ports'),
    column('Endpoints', 'string', 'discovery.v1.EndpointSlice#endpoints'),
    ageColumn(),
  ],
  cells: (slice, now) => [
    slice.metadata.name,
    slice.addressType ?? '',
    firstThree(ports(slice)),
    firstThree(addresses(slice)),
    since(slice.metadata.creationTimestamp, now),
  ],
};
