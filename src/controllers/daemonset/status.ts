// A DaemonSet's status (`updateDaemonSetStatus`): per node that should run it, whether a pod is there and whether
// the oldest one is ready, available and up to date; pods on nodes that should not run it are misscheduled.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { isPodAvailable, isPodReady } from '../replicaset/pods.js';
import { nodeShouldRunDaemonPod } from './placement.js';
import { byCreationAndPhase, isPodUpdated, templateGenerationOf } from './pods.js';

const counters = [
  'desiredNumberScheduled',
  'currentNumberScheduled',
  'numberMisscheduled',
  'numberReady',
  'updatedNumberScheduled',
  'numberAvailable',
  'numberUnavailable',
] as const;

export type Counts = Record<(typeof counters)[number], number>;

export function daemonSetCounts(
  ds: KubeObject,
  nodes: KubeObject[],
  byNode: Map<string, KubeObject[]>,
  hash: string,
  now: number,
): Counts {
  const c: Counts = Object.fromEntries(counters.map((k) => [k, 0])) as Counts;
  for (const node of nodes) {
    const pods = [...(byNode.get(node.metadata.name!) ?? [])];
    const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
    if (!shouldRun) {
      if (pods.length > 0) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    if (pods.length === 0) continue;
    c.currentNumberScheduled++;
    const [pod] = pods.sort(byCreationAndPhase);
    if (isPodReady(pod)) {
      c.numberReady++;
      if (isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, now)) c.numberAvailable++;
    }
    if (isPodUpdated(pod, hash, templateGenerationOf(ds))) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}

/** `storeDaemonSetStatus`: writes the counts (and observedGeneration when asked) unless nothing changed. */
export async function storeStatus(client: KubeClient, ds: KubeObject, counts: Counts, observe: boolean) {
  const generation = ds.metadata.generation ?? 0;
  const current = ds.status ?? {};
  const unchanged =
    counters.every((k) => (current[k] ?? 0) === counts[k]) && (current.observedGeneration ?? 0) >= generation;
  if (unchanged) return;
  let target = ds;
  for (let attempt = 0; ; attempt++) {
    const status = { ...target.status, ...counts };
    if (observe) status.observedGeneration = generation;
    try {
      await client.update({ ...target, status }, { subresource: 'status' });
      return;
    } catch (error: any) {
      if (error?.code !== 409 || attempt >= 1) throw error;
      target = await client.get(
        { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: ds.metadata.namespace },
        ds.metadata.name!,
      );
    }
  }
}
