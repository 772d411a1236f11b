// Reconciles one pod key for fargate-scheduler: a pod gone (or replaced) loses its node and IP; a pending captured
// pod is checked, sized, given an IP, a host and its own Node, then bound; a bound or finished pod keeps its node.

import type { ReconcileResult } from '../../client/queue.js';
import type { ProfileInfo } from '../../cloud/facts.js';
import { chooseProfile } from '../../fargate/matching.js';
import { fargateNodeName, fargateSchedulerName, ipFromNodeName, isFargateNodeName } from '../../fargate/naming.js';
import { capacityProvisionedAnnotation, sizePod } from '../../fargate/sizing.js';
import { notSupportedMessage } from '../../fargate/support.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import type { VpcAddresses } from '../ipam/vpc-addresses.js';
import type { Bindings } from './bindings.js';
import { claimContext } from './claims.js';
import type { PodEvents } from './events.js';
import type { HostBook } from './hosts.js';
import { fargateNodeObject } from './node.js';

export { fargateSchedulerName as schedulerName } from '../../fargate/naming.js';
export const capacityAnnotation = capacityProvisionedAnnotation;

const nodeRef = { apiVersion: 'v1', kind: 'Node' };

export interface SchedulerState {
  client: KubeClient;
  region: string;
  kubeletVersion: string;
  ipam: VpcAddresses;
  hosts: HostBook;
  events: PodEvents;
  bindings: Bindings;
  pods: Map<string, KubeObject>;
  profiles: () => ProfileInfo[];
  /** Pods waiting for an IP, a host or a profile, with how often they have waited. */
  waiting: Map<string, number>;
  retryDelayMs: (attempts: number) => number;
}

/** Profile failures a profile change can cure; a DaemonSet pod or an opted-out pod waits for nothing. */
const profileMayCome = new Set(['NoMatchingProfile', 'ExplicitProfileNotFound', 'ExplicitProfileNotMatching']);

export const isFargatePod = (pod: KubeObject) => pod.spec?.schedulerName === fargateSchedulerName;

export async function reconcilePod(s: SchedulerState, key: string): Promise<ReconcileResult | undefined> {
  const pod = s.pods.get(key);
  const binding = s.bindings.get(key);
  if (binding && binding.uid !== pod?.metadata.uid) await deleteNode(s, key, binding.node);
  if (!pod || !isFargatePod(pod)) {
    s.waiting.delete(key);
    return undefined;
  }
  const nodeName = pod.spec?.nodeName;
  if (nodeName || s.bindings.get(key)) {
    if (isFargateNodeName(nodeName)) s.bindings.set(key, pod.metadata.uid!, nodeName);
    s.waiting.delete(key);
    return undefined;
  }
  if (pod.metadata.deletionTimestamp) return undefined;
  return schedule(s, key, pod);
}

/** Deletes a pod's node and frees its IP; a node already gone is fine. */
export async function deleteNode(s: SchedulerState, podKey: string, node: string): Promise<void> {
  try {
    await s.client.delete(nodeRef, node);
  } catch (error: any) {
    if (error?.code !== 404) throw error;
  }
  s.bindings.delete(podKey);
  const ip = ipFromNodeName(node);
  if (ip) await s.ipam.release(ip);
}

async function schedule(s: SchedulerState, key: string, pod: KubeObject): Promise<ReconcileResult | undefined> {
  await s.events.firstSight(pod);
  const unsupported = notSupportedMessage(pod, await claimContext(s.client, pod));
  if (unsupported) return fail(s, key, pod, unsupported, false);
  const sizing = sizePod(pod);
  if ('reason' in sizing) return fail(s, key, pod, sizing.message, false);
  const choice = chooseProfile(pod, s.profiles());
  if ('reason' in choice) return fail(s, key, pod, choice.message, profileMayCome.has(choice.reason));
  const profile = s.profiles().find((p) => p.name === choice.profile)!;

  // A host with room is looked for first: without one, the retry claims no IP to give back.
  const noRoom = s.hosts.roomFor(sizing.size);
  if (noRoom) return fail(s, key, pod, noRoom.message, true);
  const address = await s.ipam.allocate(profile.subnets, (ip) => fargateNodeName(ip, s.region));
  if ('reason' in address) return fail(s, key, pod, address.message, true);
  const name = fargateNodeName(address.ip, s.region);
  const placement = s.hosts.reserve(name, sizing.size);
  if ('message' in placement) {
    await s.ipam.release(address.ip);
    return fail(s, key, pod, placement.message, true);
  }
  const node = fargateNodeObject({
    ip: address.ip,
    zone: address.availabilityZone,
    region: s.region,
    host: placement.host,
    sizing,
    kubeletVersion: s.kubeletVersion,
    now: new Date(),
  });
  s.bindings.set(key, pod.metadata.uid!, name);
  try {
    await s.client.create(node);
  } catch (error: any) {
    s.hosts.unreserve(name);
    s.bindings.delete(key);
    // The name exists: its IP is in use by a node this scheduler did not know of, so it stays claimed.
    if (error?.code === 409) return { requeueAfterMs: 0 };
    await s.ipam.release(address.ip);
    throw error;
  }
  try {
    await bind(s.client, pod, name, sizing.capacityProvisioned);
  } catch (error: any) {
    await deleteNode(s, key, name);
    if (error?.code === 404 || error?.code === 409) return undefined;
    throw error;
  }
  s.waiting.delete(key);
  await s.events.scheduled(pod, name);
  return undefined;
}

/** The Binding carries CapacityProvisioned: the bind copies its annotations onto the pod, over any user value. */
function bind(client: KubeClient, pod: KubeObject, node: string, capacity: string) {
  const { namespace, name } = pod.metadata;
  return client.createSubresource({ apiVersion: 'v1', kind: 'Pod', namespace }, name!, 'binding', {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name, namespace, annotations: { [capacityAnnotation]: capacity } },
    target: { apiVersion: 'v1', kind: 'Node', name: node },
  });
}

async function fail(
  s: SchedulerState,
  key: string,
  pod: KubeObject,
  message: string,
  retry: boolean,
): Promise<ReconcileResult | undefined> {
  await s.events.failedScheduling(pod, message);
  if (!retry) {
    s.waiting.delete(key);
    return undefined;
  }
  const attempts = (s.waiting.get(key) ?? 0) + 1;
  s.waiting.set(key, attempts);
  return { requeueAfterMs: s.retryDelayMs(attempts) };
}
