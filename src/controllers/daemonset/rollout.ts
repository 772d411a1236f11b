// A DaemonSet's RollingUpdate step (`rollingUpdate`): without surge, delete old pods while no more than
// maxUnavailable nodes lack an available pod (manage then recreates them); with surge, start new pods beside
// available old ones (at most maxSurge at once) and delete each old pod once its replacement is available.
import type { KubeObject } from '../../kube/api/types.js';
import { isPodAvailable } from '../replicaset/pods.js';
import { nodeShouldRunDaemonPod } from './placement.js';
import { isPodUpdated, templateGenerationOf } from './pods.js';

/** `intstr.GetScaledValueFromIntOrPercent` rounding up, as the DaemonSet controller asks. */
export function scaledUp(value: number | string | undefined, total: number): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  const percent = Number.parseInt(value.replace('%', ''), 10);
  return Number.isNaN(percent) ? 0 : Math.ceil((percent * total) / 100);
}

/** [maxSurge, maxUnavailable, desiredNumberScheduled]; adds an empty entry for each node that should run a pod. */
export function desiredCounts(ds: KubeObject, nodes: KubeObject[], byNode: Map<string, KubeObject[]>) {
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    if (!byNode.has(node.metadata.name!)) byNode.set(node.metadata.name!, []);
  }
  const rolling = ds.spec?.updateStrategy?.rollingUpdate ?? {};
  const isRolling = (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  const surge = isRolling ? scaledUp(rolling.maxSurge, desired) : 0;
  let unavailable = isRolling ? scaledUp(rolling.maxUnavailable ?? 1, desired) : 0;
  if (desired > 0 && surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable, desired] as const;
}

/** `findUpdatedPodsOnNode`: the node's one new and one old live pod; ok false when it has two of either. */
function updatedPodsOnNode(ds: KubeObject, pods: KubeObject[], hash: string) {
  let newPod: KubeObject | undefined;
  let oldPod: KubeObject | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, templateGenerationOf(ds))) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { ok: true, newPod, oldPod };
}

export interface RolloutContext {
  ds: KubeObject;
  nodes: KubeObject[];
  byNode: Map<string, KubeObject[]>;
  hash: string;
  now: number;
}

export function rollingUpdatePlan(c: RolloutContext): { delete: string[]; create: string[] } {
  const [maxSurge, maxUnavailable, desired] = desiredCounts(c.ds, c.nodes, c.byNode);
  const minReady = c.ds.spec?.minReadySeconds ?? 0;
  const available = (pod: KubeObject) => isPodAvailable(pod, minReady, c.now);
  const nodeByName = new Map(c.nodes.map((n) => [n.metadata.name!, n]));
  const shouldRun = (name: string) => {
    const node = nodeByName.get(name);
    return node ? nodeShouldRunDaemonPod(node, c.ds).shouldRun : false;
  };
  if (maxSurge === 0) {
    let unavailable = 0;
    const replace: string[] = [];
    const candidates: string[] = [];
    for (const pods of c.byNode.values()) {
      const { ok, newPod, oldPod } = updatedPodsOnNode(c.ds, pods, c.hash);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) unavailable++;
      else if (newPod) {
        if (!available(newPod)) unavailable++;
      } else if (!available(oldPod!)) replace.push(oldPod!.metadata.name!);
      else if (unavailable < maxUnavailable) candidates.push(oldPod!.metadata.name!);
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    return { delete: [...replace, ...candidates.slice(0, room)], create: [] };
  }
  const toDelete: string[] = [];
  const shouldNotRun: string[] = [];
  const allowedNew: string[] = [];
  const candidateNew: string[] = [];
  let surging = 0;
  let availableCount = 0;
  for (const [nodeName, pods] of c.byNode) {
    const { ok, newPod, oldPod } = updatedPodsOnNode(c.ds, pods, c.hash);
    if (!ok) {
      surging++;
      continue;
    }
    if (oldPod ? available(oldPod) : newPod && available(newPod)) availableCount++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun(nodeName)) toDelete.push(oldPod.metadata.name!);
        else allowedNew.push(nodeName);
      } else if (!shouldRun(nodeName)) shouldNotRun.push(oldPod.metadata.name!);
      else if (surging < maxSurge) candidateNew.push(nodeName);
    } else if (!available(newPod)) surging++;
    else toDelete.push(oldPod.metadata.name!);
  }
  // Pods on nodes the DaemonSet left go only while enough others are available.
  const deletable = Math.min(Math.max(0, availableCount - desired), shouldNotRun.length);
  toDelete.push(...shouldNotRun.slice(0, deletable));
  const room = Math.min(Math.max(0, maxSurge - surging), candidateNew.length);
  return { delete: toDelete, create: [...allowedNew, ...candidateNew.slice(0, room)] };
}
