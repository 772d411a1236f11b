// Which nodes a DaemonSet runs on (`NodeShouldRunDaemonPod`): the template's nodeName, nodeSelector and required
// node affinity must allow the node, and its NoSchedule/NoExecute taints must be tolerated — counting the
// tolerations the controller adds to every daemon pod. A Fargate node's NoSchedule taint keeps daemon pods off.
import type { KubeObject } from '../../kube/api/types.js';
import { matchesRequiredNodeAffinity } from '../../scheduler/predicates/node-affinity.js';
import { type Toleration, untoleratedTaint } from '../../scheduler/predicates/taints.js';

const exists = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', effect });

/** `AddOrUpdateDaemonPodTolerations`: node problems never evict or keep out a daemon pod. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  return [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ...(hostNetwork ? [exists('node.kubernetes.io/network-unavailable', 'NoSchedule')] : []),
  ];
}

const sameToleration = (a: Toleration, b: Toleration) =>
  (a.key ?? '') === (b.key ?? '') &&
  (a.effect ?? '') === (b.effect ?? '') &&
  (a.operator ?? '') === (b.operator ?? '') &&
  (a.value ?? '') === (b.value ?? '');

/** Adds (or replaces a matching) daemon toleration in a pod spec, as `AddOrUpdateTolerationInPodSpec`. */
export function addDaemonTolerations(spec: KubeObject['spec']): void {
  const tolerations: Toleration[] = [...(spec.tolerations ?? [])];
  for (const toleration of daemonTolerations(spec.hostNetwork === true)) {
    const index = tolerations.findIndex((t) => sameToleration(t, toleration));
    if (index >= 0) tolerations[index] = toleration;
    else tolerations.push(toleration);
  }
  spec.tolerations = tolerations;
}

export interface NodeDecision {
  /** A daemon pod should be created on the node. */
  shouldRun: boolean;
  /** A daemon pod already there may stay (it tolerates every NoExecute taint). */
  shouldContinueRunning: boolean;
}

export function nodeShouldRunDaemonPod(node: KubeObject, ds: KubeObject): NodeDecision {
  const spec = structuredClone(ds.spec?.template?.spec ?? {});
  const nodeName = node.metadata.name;
  if (spec.nodeName && spec.nodeName !== nodeName) return { shouldRun: false, shouldContinueRunning: false };
  addDaemonTolerations(spec);
  if (!matchesRequiredNodeAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints;
  const blocking = untoleratedTaint(taints, spec.tolerations);
  if (!blocking) return { shouldRun: true, shouldContinueRunning: true };
  const evicting = untoleratedTaint(taints, spec.tolerations, (t) => t.effect === 'NoExecute');
  return { shouldRun: false, shouldContinueRunning: !evicting };
}
