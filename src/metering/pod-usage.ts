// What a Fargate pod's or a node-group node's usage record says, from the objects alone (pure): the billed size from
// `CapacityProvisioned` and the pod's storage (src/fargate/ sizes both), the start from the first `Pulling` event,
// when its containers finished, and a node's instance type. src/fargate/billing.ts says why these times.

import { instanceTypeLabel, nodegroupLabel } from '../controllers/nodegroup/node.js';
import { profileLabel } from '../fargate/matching.js';
import { computeTypeLabel, isFargateNodeName } from '../fargate/naming.js';
import { capacityProvisionedAnnotation, parseCapacityProvisioned, sizePod } from '../fargate/sizing.js';
import type { KubeObject } from '../kube/api/types.js';
import { toTime, type UsageSpec, type Workload } from './usage-record.js';

export const capacityAnnotation = capacityProvisionedAnnotation;

export interface Cluster {
  cluster: string;
  region: string;
}

/** A pod running on its own Fargate node, sized by fargate-scheduler. */
export function isMeteredFargatePod(pod: KubeObject): boolean {
  return (
    isFargateNodeName(pod.spec?.nodeName) &&
    parseCapacityProvisioned(pod.metadata.annotations?.[capacityAnnotation]) !== undefined
  );
}

/** A node-group node (a Fargate node is billed through its pod). */
export function isMeteredNode(node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  return (
    labels[computeTypeLabel] !== 'fargate' && !isFargateNodeName(node.metadata.name) && !!labels[instanceTypeLabel]
  );
}

const timeOf = (text: unknown) => (typeof text === 'string' ? Date.parse(text) : Number.NaN);

/** When an event first happened: eventTime (microseconds, events.k8s.io), firstTimestamp (core/v1), its creation. */
export function eventTimeMs(event: KubeObject): number {
  const candidates = [event.eventTime, event.firstTimestamp, event.metadata.creationTimestamp].map(timeOf);
  return candidates.find((t) => !Number.isNaN(t)) ?? Number.NaN;
}

/** The earliest `Pulling` event about the pod (by UID), or undefined. */
export function firstPullingMs(pod: KubeObject, events: Iterable<KubeObject>): number | undefined {
  let first: number | undefined;
  for (const event of events) {
    if (event.reason !== 'Pulling' || event.involvedObject?.uid !== pod.metadata.uid) continue;
    const t = eventTimeMs(event);
    if (!Number.isNaN(t) && (first === undefined || t < first)) first = t;
  }
  return first;
}

const containerStatuses = (pod: KubeObject): any[] => [
  ...(pod.status?.initContainerStatuses ?? []),
  ...(pod.status?.containerStatuses ?? []),
];

/**
 * Metering starts at the first `Pulling`; a pod whose containers got going without one (images already on the
 * machine, which Fargate never has) starts at status.startTime (else its first container's start). Undefined: not
 * started yet.
 */
export function podStartMs(pod: KubeObject, firstPulling: number | undefined): number | undefined {
  if (firstPulling !== undefined) return firstPulling;
  const started = containerStatuses(pod)
    .map((s) => timeOf(s.state?.running?.startedAt ?? s.state?.terminated?.startedAt))
    .filter((t) => !Number.isNaN(t));
  if (started.length === 0) return undefined;
  const startTime = timeOf(pod.status?.startTime);
  return Number.isNaN(startTime) ? Math.min(...started) : startTime;
}

/** When a Succeeded or Failed pod's last container finished (now, when none says). */
export function podFinishedMs(pod: KubeObject, nowMs: number): number | undefined {
  if (pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') return undefined;
  const ends = containerStatuses(pod)
    .map((s) => timeOf(s.state?.terminated?.finishedAt))
    .filter((t) => !Number.isNaN(t));
  return ends.length > 0 ? Math.max(...ends) : nowMs;
}

export function fargatePodUsage(pod: KubeObject, cluster: Cluster, startMs: number, workload?: Workload): UsageSpec {
  const size = parseCapacityProvisioned(pod.metadata.annotations?.[capacityAnnotation])!;
  const sizing = sizePod(pod);
  const labels = { ...(pod.metadata.labels ?? {}) };
  return {
    resourceType: 'FargatePod',
    ...cluster,
    name: pod.metadata.name!,
    uid: pod.metadata.uid!,
    namespace: pod.metadata.namespace,
    profile: labels[profileLabel],
    node: pod.spec?.nodeName,
    ...(workload ? { workload } : {}),
    labels,
    capacityProvisioned: pod.metadata.annotations?.[capacityAnnotation],
    vcpu: size.cpuMillis / 1000,
    memoryGB: size.memoryMiB / 1024,
    storageGB: 'reason' in sizing ? 20 : sizing.ephemeralStorageGiB,
    start: toTime(startMs),
  };
}

export function nodeUsage(
  node: KubeObject,
  cluster: Cluster,
  instance: { vcpu: number; memoryGiB: number },
): UsageSpec {
  const labels = { ...(node.metadata.labels ?? {}) };
  const providerId: string = node.spec?.providerID ?? '';
  const instanceId = /\/(i-[0-9a-f]+)$/.exec(providerId)?.[1];
  return {
    resourceType: 'Node',
    ...cluster,
    name: node.metadata.name!,
    uid: node.metadata.uid!,
    nodegroup: labels[nodegroupLabel],
    labels,
    vcpu: instance.vcpu,
    memoryGB: instance.memoryGiB,
    storageGB: 0,
    instanceType: labels[instanceTypeLabel],
    ...(instanceId ? { instanceId } : {}),
    start: toTime(Date.parse(node.metadata.creationTimestamp!)),
  };
}
