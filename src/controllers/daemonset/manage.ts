// What `manage` decides for each node (`podsShouldBeOnNode`): create a daemon pod where one should run and none is,
// delete failed or finished ones, extras beyond one (two while surging), and every pod where none may stay.
import type { KubeObject } from '../../kube/api/types.js';
import { isPodAvailable, isPodReady } from '../replicaset/pods.js';
import type { FailedPodBackoff } from './backoff.js';
import { nodeShouldRunDaemonPod } from './placement.js';
import { byCreationAndPhase, hashLabel, isTerminal, targetNodeName } from './pods.js';

export interface Plan {
  /** Nodes that need a daemon pod created. */
  create: string[];
  /** Names of daemon pods to delete. */
  delete: string[];
  /** Warning events to record: failed pods about to be deleted. */
  failed: { pod: KubeObject; node: string }[];
  /** Ask to come back after this long (a failed pod waiting out its back-off). */
  retryAfterMs?: number;
}

/** Claimed pods by the node they run on or are meant for; finished pods being deleted are left out. */
export function nodesToDaemonPods(pods: KubeObject[]): Map<string, KubeObject[]> {
  const byNode = new Map<string, KubeObject[]>();
  for (const pod of pods) {
    if (isTerminal(pod) && pod.metadata.deletionTimestamp) continue;
    const node = targetNodeName(pod);
    if (!node) continue;
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  return byNode;
}

export function allowsSurge(ds: KubeObject): boolean {
  const strategy = ds.spec?.updateStrategy;
  if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return false;
  const surge = strategy?.rollingUpdate?.maxSurge;
  return surge !== undefined && surge !== 0 && surge !== '0%' && surge !== '0';
}

export interface ManageContext {
  ds: KubeObject;
  nodes: KubeObject[];
  byNode: Map<string, KubeObject[]>;
  hash: string;
  now: number;
  backoff: FailedPodBackoff;
}

export function managePlan(c: ManageContext): Plan {
  const plan: Plan = { create: [], delete: [], failed: [] };
  for (const node of c.nodes) planNode(c, node, plan);
  // Pods not yet scheduled whose node is gone.
  const existing = new Set(c.nodes.map((n) => n.metadata.name));
  for (const [node, pods] of c.byNode) {
    if (existing.has(node)) continue;
    for (const pod of pods)
      if (!pod.spec?.nodeName && !pod.metadata.deletionTimestamp) plan.delete.push(pod.metadata.name!);
  }
  return plan;
}

function planNode(c: ManageContext, node: KubeObject, plan: Plan): void {
  const name = node.metadata.name!;
  const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, c.ds);
  const pods = c.byNode.get(name);
  if (shouldRun && !pods) {
    plan.create.push(name);
    return;
  }
  if (!shouldContinueRunning) {
    for (const pod of pods ?? []) if (!pod.metadata.deletionTimestamp) plan.delete.push(pod.metadata.name!);
    return;
  }
  const running: KubeObject[] = [];
  for (const pod of pods ?? []) {
    if (pod.metadata.deletionTimestamp) continue;
    if (pod.status?.phase === 'Failed') {
      const key = `${c.ds.metadata.namespace}/${c.ds.metadata.name}/${name}`;
      if (c.backoff.inBackoff(key, c.now)) {
        const wait = c.backoff.remainingMs(key, c.now);
        plan.retryAfterMs = Math.min(plan.retryAfterMs ?? wait, wait);
        continue;
      }
      c.backoff.next(key, c.now);
      plan.failed.push({ pod, node: name });
      plan.delete.push(pod.metadata.name!);
    } else if (pod.status?.phase === 'Succeeded') plan.delete.push(pod.metadata.name!);
    else running.push(pod);
  }
  running.sort(byCreationAndPhase);
  if (!allowsSurge(c.ds)) {
    // One daemon pod per node: all but the oldest go.
    for (const extra of running.slice(1)) plan.delete.push(extra.metadata.name!);
    return;
  }
  if (running.length <= 1) {
    if (running.length === 0 && shouldRun) plan.create.push(name);
    return;
  }
  // Surging: keep the oldest new pod, and the oldest old pod only while the new one is not yet available.
  let oldestNew: KubeObject | undefined;
  let oldestOld: KubeObject | undefined;
  for (const pod of running) {
    const isNew = pod.metadata.labels?.[hashLabel] === c.hash;
    if (isNew && !oldestNew) oldestNew = pod;
    else if (!isNew && !oldestOld) oldestOld = pod;
    else plan.delete.push(pod.metadata.name!);
  }
  if (oldestNew && oldestOld) {
    const minReady = c.ds.spec?.minReadySeconds ?? 0;
    if (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReady, c.now))
      plan.delete.push(oldestOld.metadata.name!);
  }
}
