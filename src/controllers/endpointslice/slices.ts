// Which EndpointSlices to create, update and delete for one Service (the EndpointSlice reconciler's plan):
// endpoints grouped by their port set, kept in the slices that hold them, new ones filling the fullest updated
// slices first, then the closest-fitting unchanged slice, then new slices of at most 100; a placeholder slice
// when there are none; names of slices to delete reused for slices to create.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../kube/api/types.js';

export const maxEndpointsPerSlice = 100;
export const serviceNameLabel = 'kubernetes.io/service-name';
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const controllerName = 'endpointslice-controller.k8s.io';

export interface DesiredGroup {
  ports: any[];
  endpoints: any[];
}

export interface SlicePlan {
  create: KubeObject[];
  update: KubeObject[];
  delete: KubeObject[];
}

export const portsKey = (ports: any[] | null | undefined) =>
  JSON.stringify(
    [...(ports ?? [])]
      .map((p) => [p.name ?? '', p.port, p.protocol, p.appProtocol ?? ''])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  );

/** `endpointHash`: an endpoint is the same endpoint while its addresses, hostname and target stay. */
export const endpointKey = (ep: any) =>
  JSON.stringify([ep.addresses, ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);

export function newSlice(service: KubeObject, labels: Record<string, string>, ports: any[]): KubeObject {
  const { name, namespace, uid } = service.metadata;
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${name}-`,
      namespace,
      labels: { ...labels },
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Service', name: name!, uid: uid!, controller: true, blockOwnerDeletion: true },
      ],
    },
    addressType: 'IPv4',
    endpoints: [],
    ports,
  };
}

const ownedBy = (slice: KubeObject, service: KubeObject) =>
  (slice.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === service.metadata.uid);

export function planSlices(
  service: KubeObject,
  labels: Record<string, string>,
  desired: Map<string, DesiredGroup>,
  existing: KubeObject[],
  max = maxEndpointsPerSlice,
): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const byPorts = new Map<string, KubeObject[]>();
  for (const slice of existing) {
    if (!ownedBy(slice, service) || slice.addressType !== 'IPv4') {
      if (slice.addressType === 'IPv4') plan.delete.push(slice);
      continue;
    }
    const key = portsKey(slice.ports);
    byPorts.set(key, [...(byPorts.get(key) ?? []), slice]);
  }
  for (const [key, slices] of byPorts) if (!desired.has(key)) plan.delete.push(...slices);
  for (const [key, group] of desired) planGroup(service, labels, group, byPorts.get(key) ?? [], plan, max);

  const owned = existing.filter((s) => ownedBy(s, service) && s.addressType === 'IPv4');
  if (owned.length === plan.delete.filter((s) => ownedBy(s, service)).length && plan.create.length === 0) {
    const placeholder = newSlice(service, labels, []);
    const [only] = plan.delete;
    const same =
      plan.delete.length === 1 &&
      isDeepStrictEqual(only.metadata.labels ?? {}, labels) &&
      !(only.endpoints ?? []).length &&
      !(only.ports ?? []).length;
    if (same) plan.delete = [];
    else plan.create.push(placeholder);
  }
  // Rather than delete one slice and create another, rewrite the one to be deleted.
  while (plan.create.length && plan.delete.some((s) => ownedBy(s, service))) {
    const reused = plan.delete.splice(
      plan.delete.findIndex((s) => ownedBy(s, service)),
      1,
    )[0];
    const created = plan.create.shift()!;
    plan.update.push({
      ...created,
      metadata: { ...reused.metadata, labels: created.metadata.labels, generateName: reused.metadata.generateName },
    });
  }
  return plan;
}

function planGroup(
  service: KubeObject,
  labels: Record<string, string>,
  group: DesiredGroup,
  slices: KubeObject[],
  plan: SlicePlan,
  max: number,
): void {
  const remaining = new Map(group.endpoints.map((ep) => [endpointKey(ep), ep]));
  const toUpdate: KubeObject[] = [];
  const unchanged: KubeObject[] = [];
  for (const slice of slices) {
    let changed = !isDeepStrictEqual(slice.metadata.labels ?? {}, labels);
    const kept: any[] = [];
    for (const ep of slice.endpoints ?? []) {
      const wanted = remaining.get(endpointKey(ep));
      if (!wanted || kept.length >= max) {
        changed = true;
        continue;
      }
      remaining.delete(endpointKey(ep));
      kept.push(wanted);
      if (!isDeepStrictEqual(wanted, ep)) changed = true;
    }
    if (kept.length === 0) plan.delete.push(slice);
    else if (changed) toUpdate.push({ ...structuredClone(slice), endpoints: kept, ports: group.ports });
    else unchanged.push(slice);
  }
  const pending = [...remaining.values()];
  toUpdate.sort((a, b) => b.endpoints.length - a.endpoints.length);
  for (const slice of toUpdate) {
    while (pending.length && slice.endpoints.length < max) slice.endpoints.push(pending.shift());
  }
  while (pending.length) {
    let target: KubeObject | undefined;
    if (pending.length < max) target = closestFit(unchanged, pending.length, max);
    if (target) {
      unchanged.splice(unchanged.indexOf(target), 1);
      target = structuredClone(target);
      toUpdate.push(target);
    } else {
      target = newSlice(service, labels, group.ports);
      plan.create.push(target);
    }
    while (pending.length && target.endpoints.length < max) target.endpoints.push(pending.shift());
  }
  for (const slice of toUpdate) slice.metadata.labels = { ...labels };
  plan.update.push(...toUpdate);
}

/** `getSliceToFill`: the unchanged slice with the least room that still takes all `count` endpoints. */
function closestFit(slices: KubeObject[], count: number, max: number): KubeObject | undefined {
  let best: KubeObject | undefined;
  let bestDiff = max;
  for (const slice of slices) {
    const diff = max - (count + (slice.endpoints ?? []).length);
    if (diff >= 0 && diff < bestDiff) {
      best = slice;
      bestDiff = diff;
      if (diff === 0) break;
    }
  }
  return best;
}
