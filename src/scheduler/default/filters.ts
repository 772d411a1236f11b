// The default profile's filter plugins, in kube-scheduler's order (NodeUnschedulable, TaintToleration,
// NodeAffinity, NodePorts, NodeResourcesFit); a node fails on the first plugin that rejects it, with that plugin's
// reasons and whether preemption could help (Unschedulable) or not (UnschedulableAndUnresolvable).
import { matchesRequiredNodeAffinity } from '../predicates/node-affinity.js';
import { type Taint, tolerates, untoleratedTaint } from '../predicates/taints.js';
import type { HostPort, NodeInfo, PodInfo } from './node-info.js';

export type FilterCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterStatus {
  plugin: string;
  code: FilterCode;
  reasons: string[];
}

export const reasons = {
  unschedulable: 'node(s) were unschedulable',
  nodeAffinity: "node(s) didn't match Pod's node affinity/selector",
  nodePorts: "node(s) didn't have free ports for the requested pod ports",
  tooManyPods: 'Too many pods',
  untoleratedTaint: (t: Taint) => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`,
  insufficient: (resource: string) => `Insufficient ${resource}`,
};

const unschedulableTaint: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/**
 * The node's taints plus the ones the node lifecycle controller adds for its Ready condition
 * (`node.kubernetes.io/not-ready` when False or missing, `node.kubernetes.io/unreachable` when Unknown).
 */
export function effectiveTaints(node: NodeInfo['node']): Taint[] {
  const taints: Taint[] = [...(node.spec?.taints ?? [])];
  const ready = (node.status?.conditions ?? []).find((c: any) => c?.type === 'Ready');
  const implied =
    ready?.status === 'True'
      ? undefined
      : ready?.status === 'Unknown'
        ? 'node.kubernetes.io/unreachable'
        : 'node.kubernetes.io/not-ready';
  if (implied && !taints.some((t) => t.key === implied && t.effect === 'NoSchedule')) {
    taints.push({ key: implied, effect: 'NoSchedule' });
  }
  return taints;
}

function nodeUnschedulable(pod: PodInfo, node: NodeInfo): FilterStatus | undefined {
  if (!node.node.spec?.unschedulable) return undefined;
  if ((pod.pod.spec?.tolerations ?? []).some((t: any) => tolerates(t, unschedulableTaint))) return undefined;
  return { plugin: 'NodeUnschedulable', code: 'UnschedulableAndUnresolvable', reasons: [reasons.unschedulable] };
}

function taintToleration(pod: PodInfo, node: NodeInfo): FilterStatus | undefined {
  const taint = untoleratedTaint(effectiveTaints(node.node), pod.pod.spec?.tolerations);
  if (!taint) return undefined;
  return {
    plugin: 'TaintToleration',
    code: 'UnschedulableAndUnresolvable',
    reasons: [reasons.untoleratedTaint(taint)],
  };
}

function nodeAffinity(pod: PodInfo, node: NodeInfo): FilterStatus | undefined {
  if (matchesRequiredNodeAffinity(pod.pod.spec, node.node)) return undefined;
  return { plugin: 'NodeAffinity', code: 'UnschedulableAndUnresolvable', reasons: [reasons.nodeAffinity] };
}

const conflicts = (a: HostPort, b: HostPort) =>
  a.port === b.port &&
  a.protocol === b.protocol &&
  (a.hostIP === '0.0.0.0' || b.hostIP === '0.0.0.0' || a.hostIP === b.hostIP);

function nodePorts(pod: PodInfo, node: NodeInfo): FilterStatus | undefined {
  if (pod.hostPorts.length === 0) return undefined;
  for (const other of node.pods.values()) {
    if (other.hostPorts.some((used) => pod.hostPorts.some((wanted) => conflicts(used, wanted)))) {
      return { plugin: 'NodePorts', code: 'Unschedulable', reasons: [reasons.nodePorts] };
    }
  }
  return undefined;
}

/** NodeResourcesFit: pod count, then each requested resource against allocatable less what pods there request. */
export function insufficientResources(pod: PodInfo, node: NodeInfo): string[] {
  const out: string[] = [];
  const { allocatable: a, requested: used } = node;
  const r = pod.requests;
  if (node.pods.size + 1 > a.pods) out.push(reasons.tooManyPods);
  const scalars = Object.entries(r.scalar).filter(([, v]) => v > 0);
  if (r.milliCPU === 0 && r.memory === 0 && r.ephemeralStorage === 0 && scalars.length === 0) return out;
  if (r.milliCPU > 0 && r.milliCPU > a.milliCPU - used.milliCPU) out.push(reasons.insufficient('cpu'));
  if (r.memory > 0 && r.memory > a.memory - used.memory) out.push(reasons.insufficient('memory'));
  if (r.ephemeralStorage > 0 && r.ephemeralStorage > a.ephemeralStorage - used.ephemeralStorage) {
    out.push(reasons.insufficient('ephemeral-storage'));
  }
  for (const [name, value] of scalars) {
    if (value > (a.scalar[name] ?? 0) - (used.scalar[name] ?? 0)) out.push(reasons.insufficient(name));
  }
  return out;
}

function nodeResourcesFit(pod: PodInfo, node: NodeInfo): FilterStatus | undefined {
  const found = insufficientResources(pod, node);
  return found.length > 0 ? { plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: found } : undefined;
}

export const filterPlugins = [nodeUnschedulable, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit];

/** Runs the filters in order; undefined when the pod fits the node. */
export function runFilters(pod: PodInfo, node: NodeInfo): FilterStatus | undefined {
  for (const filter of filterPlugins) {
    const status = filter(pod, node);
    if (status) return status;
  }
  return undefined;
}
