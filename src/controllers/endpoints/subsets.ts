// Endpoints subsets as the endpoints controller builds them: one subset per (pod, port), repacked so that
// addresses sharing the same ports share a subset (`RepackSubsets`), sorted, and truncated at 1000 addresses.
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace?: string; name?: string; uid?: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** `maxCapacity`: beyond this many addresses Endpoints are truncated and annotated. */
export const maxCapacity = 1000;
export const overCapacity = 'endpoints.kubernetes.io/over-capacity';

const addressKey = (a: EndpointAddress) => `${a.ip}/${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointPort | undefined) => (p ? JSON.stringify([p.name, p.port, p.protocol, p.appProtocol]) : '');

/** Groups addresses by the exact set of ports they serve; ready wins when an address is seen both ways. */
export function repackSubsets(entries: { address: EndpointAddress; port?: EndpointPort; ready: boolean }[]) {
  const byPort = new Map<string, { port?: EndpointPort; ready: Map<string, boolean> }>();
  const addresses = new Map<string, EndpointAddress>();
  for (const { address, port, ready } of entries) {
    const key = addressKey(address);
    if (!addresses.has(key)) addresses.set(key, address);
    const group = byPort.get(portKey(port)) ?? { port, ready: new Map<string, boolean>() };
    byPort.set(portKey(port), group);
    group.ready.set(key, group.ready.get(key) === true || ready);
  }
  const byAddressSet = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, ready } of byPort.values()) {
    const setKey = JSON.stringify([...ready].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const bucket = byAddressSet.get(setKey) ?? { ready, ports: [] };
    byAddressSet.set(setKey, bucket);
    if (port) bucket.ports.push(port);
  }
  const subsets: EndpointSubset[] = [];
  for (const { ready, ports } of byAddressSet.values()) {
    const subset: EndpointSubset = {};
    const readyAddresses = [...ready].filter(([, r]) => r).map(([k]) => addresses.get(k)!);
    const notReady = [...ready].filter(([, r]) => !r).map(([k]) => addresses.get(k)!);
    if (readyAddresses.length) subset.addresses = readyAddresses.sort(compareAddresses);
    if (notReady.length) subset.notReadyAddresses = notReady.sort(compareAddresses);
    if (ports.length) subset.ports = ports.sort((a, b) => portKey(a).localeCompare(portKey(b)));
    subsets.push(subset);
  }
  return subsets.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

const countOf = (subsets: EndpointSubset[], field: 'addresses' | 'notReadyAddresses') =>
  subsets.reduce((n, s) => n + (s[field]?.length ?? 0), 0);

/** `truncateEndpoints`: keeps at most 1000 addresses, proportionally per subset, not-ready ones first to go. */
export function truncateSubsets(subsets: EndpointSubset[]): boolean {
  const ready = countOf(subsets, 'addresses');
  const notReady = countOf(subsets, 'notReadyAddresses');
  if (ready + notReady <= maxCapacity) return false;
  const truncateReady = ready > maxCapacity;
  const max = truncateReady ? maxCapacity : maxCapacity - ready;
  const total = truncateReady ? ready : notReady;
  let room = max;
  for (const subset of subsets) {
    const field = truncateReady ? 'addresses' : 'notReadyAddresses';
    const share = Math.min(Math.ceil(((subset[field]?.length ?? 0) / total) * max), room);
    subset[field] = (subset[field] ?? []).slice(0, share);
    if (truncateReady) delete subset.notReadyAddresses;
    room -= subset[field]!.length;
    if (subset[field]!.length === 0) delete subset[field];
  }
  return true;
}

/** `capacityAnnotationSetCorrectly`. */
export function capacityAnnotationCorrect(annotations: Record<string, string> | undefined, subsets: EndpointSubset[]) {
  const count = countOf(subsets, 'addresses') + countOf(subsets, 'notReadyAddresses');
  if (count > maxCapacity) return false;
  const set = annotations?.[overCapacity] !== undefined;
  return (set && count === maxCapacity) || (!set && count < maxCapacity);
}
