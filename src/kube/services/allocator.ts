// Cluster IPs and node ports for Services, allocated exactly once through the store: each taken address is a key
// under /registry/ranges/ created atomically (a second claim fails), released when its Service is deleted, and
// repaired at start (claims whose Service is gone are dropped), as kube-apiserver's allocators and repair loops do.
import { KeyExistsError } from '../../store/errors.js';
import type { Backend } from '../../store/types.js';
import { invalid } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';

export interface ServiceRanges {
  /** e.g. 10.100.0.0/16; the first address goes to the `kubernetes` Service. */
  serviceCidr: string;
  nodePortRange: [number, number];
}

export const defaultRanges: ServiceRanges = { serviceCidr: '10.100.0.0/16', nodePortRange: [30000, 32767] };

const ipKey = (ip: string) => `/registry/ranges/serviceips/${ip}`;
const portKey = (port: number) => `/registry/ranges/servicenodeports/${port}`;

function toInt(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function cidrRange(cidr: string): { first: number; size: number } {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return { first: toInt(base) - (toInt(base) % size), size };
}

/** The address of the `kubernetes` Service: the first usable one of the range (10.100.0.1). */
export function kubernetesServiceIp(ranges: ServiceRanges): string {
  return toIp(cidrRange(ranges.serviceCidr).first + 1);
}

function owner(service: KubeObject): string {
  return `${service.metadata.namespace}/${service.metadata.name}`;
}

async function claim(store: Backend, key: string, service: KubeObject): Promise<boolean> {
  try {
    await store.create(key, owner(service));
    return true;
  } catch (error) {
    if (error instanceof KeyExistsError) return false;
    throw error;
  }
}

/** Claims `wanted`, or a random free value when none is wanted; throws 422 when taken or exhausted. */
async function allocate<T>(
  store: Backend,
  service: KubeObject,
  field: string,
  wanted: T | undefined,
  keyOf: (value: T) => string,
  candidates: () => T[],
  inRange: (value: T) => boolean,
): Promise<T> {
  const fail = (message: string) =>
    invalid('Service', '', service.metadata.name ?? '', [{ field, reason: 'FieldValueInvalid', message }]);
  if (wanted !== undefined) {
    if (!inRange(wanted)) throw fail(`Invalid value: "${wanted}": provided value is not in the valid range`);
    if (!(await claim(store, keyOf(wanted), service))) {
      throw fail(
        `Invalid value: "${wanted}": provided ${field.endsWith('nodePort') ? 'port' : 'IP'} is already allocated`,
      );
    }
    return wanted;
  }
  for (const value of candidates()) if (await claim(store, keyOf(value), service)) return value;
  throw fail('Internal error: range is full');
}

function shuffledRange(first: number, count: number, tries = 64): number[] {
  const picks = Array.from({ length: Math.min(tries, count) }, () => first + Math.floor(Math.random() * count));
  return [...new Set(picks)];
}

export async function allocateServiceAddresses(
  store: Backend,
  ranges: ServiceRanges,
  service: KubeObject,
): Promise<void> {
  const spec = service.spec;
  if (spec.type === 'ExternalName' || spec.clusterIP === 'None') return;
  const { first, size } = cidrRange(ranges.serviceCidr);
  const wantedIp = spec.clusterIP || undefined;
  const ip = await allocate(
    store,
    service,
    'spec.clusterIPs',
    wantedIp,
    ipKey,
    () => shuffledRange(first + 2, size - 3).map(toIp),
    (candidate) => toInt(candidate) > first && toInt(candidate) < first + size - 1,
  );
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
  if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') return;
  const [low, high] = ranges.nodePortRange;
  for (const [i, port] of (spec.ports ?? []).entries()) {
    port.nodePort = await allocate(
      store,
      service,
      `spec.ports[${i}].nodePort`,
      port.nodePort,
      portKey,
      () => shuffledRange(low, high - low + 1),
      (p) => p >= low && p <= high,
    );
  }
}

export async function releaseServiceAddresses(store: Backend, service: KubeObject): Promise<void> {
  const keys = [
    ...(service.spec?.clusterIPs ?? []).map(ipKey),
    ...(service.spec?.ports ?? []).filter((p: any) => p.nodePort).map((p: any) => portKey(p.nodePort)),
  ];
  for (const key of keys) {
    const kv = await store.get(key);
    if (kv?.value === owner(service)) await store.delete(key).catch(() => undefined);
  }
}

/** Drops claims whose owner no longer holds them (a Service deleted, or a create that failed after admission). */
export async function repairAllocations(store: Backend, holds: (owner: string, key: string) => Promise<boolean>) {
  for (const prefix of ['/registry/ranges/serviceips/', '/registry/ranges/servicenodeports/']) {
    const { items } = await store.list(prefix);
    for (const kv of items) if (!(await holds(kv.value, kv.key))) await store.delete(kv.key).catch(() => undefined);
  }
}
