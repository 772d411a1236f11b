// Carries out a DaemonSet's plan (`syncNodes`): deletes the named pods and creates one pod per node in batches
// of 1, 2, 4, … (at most burstReplicas each way per pass), recording the events kube-controller-manager does.

import { recordEvent } from '../../client/events.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { daemonPodFor, daemonPodTemplate } from './pods.js';

export const component = 'daemonset-controller';
/** At most this many pods are created or deleted in one pass (the DaemonSet controller's BurstReplicas). */
export const burstReplicas = 250;

const podRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace });

export async function event(
  client: KubeClient,
  ds: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): Promise<void> {
  await recordEvent(client, component, ds, type, reason, message).catch(() => {});
}

export async function syncNodes(
  client: KubeClient,
  ds: KubeObject,
  podsToDelete: string[],
  nodesNeedingPods: string[],
  hash: string,
): Promise<void> {
  const deletions = podsToDelete.slice(0, burstReplicas);
  const creations = nodesNeedingPods.slice(0, burstReplicas);
  const template = daemonPodTemplate(ds, hash);
  let firstError: unknown;
  let remaining = creations.length;
  let next = 0;
  for (let batch = 1; remaining > 0; batch *= 2) {
    const size = Math.min(batch, remaining);
    remaining -= size;
    const nodes = creations.slice(next, next + size);
    next += size;
    const results = await Promise.allSettled(nodes.map((node) => createPod(client, ds, template, node)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      firstError = failed.reason;
      break;
    }
  }
  const results = await Promise.allSettled(deletions.map((name) => deletePod(client, ds, name)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  firstError ??= failed?.reason;
  if (firstError) throw firstError;
}

async function createPod(client: KubeClient, ds: KubeObject, template: KubeObject['spec'], node: string) {
  try {
    const pod = await client.create(daemonPodFor(ds, template, node));
    await event(client, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  } catch (error: any) {
    const terminating = error?.details?.causes?.some((c: { reason?: string }) => c.reason === 'NamespaceTerminating');
    if (terminating) return;
    await event(client, ds, 'Warning', 'FailedCreate', `Error creating: ${error?.message ?? error}`);
    throw error;
  }
}

async function deletePod(client: KubeClient, ds: KubeObject, name: string) {
  try {
    await client.delete(podRef(ds.metadata.namespace!), name);
  } catch (error: any) {
    if (error?.code === 404) return;
    await event(client, ds, 'Warning', 'FailedDelete', `Error deleting: ${error?.message ?? error}`);
    throw error;
  }
  await event(client, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
}
