// A Fargate node's sandbox host (`skiff.io/host`) is its "instance", as the cloud node lifecycle controller sees
// instances: when the node is not Ready and its host's Lease (kube-system/skiff-host-<host>) has gone unrenewed past
// the grace period by the controller's clock — or is gone — the sandbox no longer exists and the Node is deleted
// with kube's DeletingNode event. Pod GC then fails and deletes its pod and the pod's controller replaces it, as
// when a Fargate task dies on EKS. Node-group nodes are kept (an EC2 instance that stops answering is not
// terminated): they stay Unknown and tainted until their host returns.
import { recordEvent } from '../../client/events.js';
import { isFargateNode } from '../../fargate/naming.js';
import { ignoreNotFoundOrConflict } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { hostAnnotation } from '../../scheduler/hosts/room.js';
import { readyCondition } from './health.js';

export const cloudNodeLifecycleComponent = 'cloud-node-lifecycle-controller';
export const hostLeasePrefix = 'skiff-host-';

/** The host lease's renewals as the controller saw them: when it last saw one move, by its own clock. */
export interface HostHealth {
  renewTime?: string;
  probeTimestamp: number;
}

/**
 * The host's health after seeing `lease` at `now`: a new renewTime moves the probe time to now, as kube's node
 * health does — never to the renewTime itself, so an informer that lags behind a busy API (whose renewals arrive
 * late, but keep arriving) is never taken for a host that stopped. The controller observes every renewal as it is
 * delivered (controller.ts), so none is seen late.
 */
export function observeHost(previous: HostHealth | undefined, lease: KubeObject | undefined, now: number): HostHealth {
  const renewTime = lease?.spec?.renewTime;
  if (!previous) return { renewTime, probeTimestamp: now };
  if (!renewTime || renewTime === previous.renewTime) return previous;
  return { renewTime, probeTimestamp: now };
}

export const hostOfNode = (node: KubeObject): string | undefined => node.metadata.annotations?.[hostAnnotation];

/** Whether the node's sandbox is gone: a not-Ready Fargate node whose host has not renewed its Lease in time. */
export function sandboxGone(node: KubeObject, host: HostHealth | undefined, graceMs: number, now: number): boolean {
  if (!isFargateNode(node) || !hostOfNode(node) || !host) return false;
  if (readyCondition(node)?.status === 'True') return false;
  return now > host.probeTimestamp + graceMs;
}

export async function deleteGoneNode(client: KubeClient, node: KubeObject): Promise<void> {
  const name = node.metadata.name!;
  await recordEvent(
    client,
    cloudNodeLifecycleComponent,
    node,
    'Normal',
    'DeletingNode',
    `Deleting node ${name} because it does not exist in the cloud provider`,
  ).catch(() => undefined);
  await client
    .delete({ apiVersion: 'v1', kind: 'Node' }, name, { preconditions: { uid: node.metadata.uid } })
    .catch(ignoreNotFoundOrConflict);
}
