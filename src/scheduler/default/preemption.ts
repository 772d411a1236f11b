// DefaultPreemption's decision, pure: whether the pod may preempt, which nodes removing lower-priority pods would
// make room on (keeping as many of those pods as still fit, most important first), and the node chosen by
// kube-scheduler's criteria; or, when none, the `preemption: 0/N nodes are available: …` text.
// Disruption budgets are not weighed.
import { type FilterStatus, runFilters } from './filters.js';
import { fitErrorMessage, preemptionMessage, preemptionReasons } from './messages.js';
import type { NodeInfo, PodInfo } from './node-info.js';

export type PreemptionResult = { node: string; victims: PodInfo[] } | { message: string };

const startOf = (p: PodInfo) => Date.parse(p.pod.status?.startTime ?? p.pod.metadata.creationTimestamp ?? '') || 0;

/** Higher priority first, then the one running longer. */
const moreImportant = (a: PodInfo, b: PodInfo) => b.priority - a.priority || startOf(a) - startOf(b);

export function isTerminatingByPreemption(pod: PodInfo): boolean {
  return (
    Boolean(pod.pod.metadata.deletionTimestamp) &&
    (pod.pod.status?.conditions ?? []).some(
      (c: any) => c?.type === 'DisruptionTarget' && c?.reason === 'PreemptionByScheduler',
    )
  );
}

function eligibility(
  pod: PodInfo,
  nodes: Map<string, NodeInfo>,
  statuses: Map<string, FilterStatus>,
): string | undefined {
  if (pod.pod.spec?.preemptionPolicy === 'Never') return preemptionReasons.policyNever;
  const nominated: string | undefined = pod.pod.status?.nominatedNodeName;
  if (!nominated || statuses.get(nominated)?.code === 'UnschedulableAndUnresolvable') return undefined;
  for (const other of nodes.get(nominated)?.pods.values() ?? []) {
    if (other.priority < pod.priority && isTerminatingByPreemption(other))
      return preemptionReasons.terminatingOnNominated;
  }
  return undefined;
}

/** Victims on one node, or the status that says why removing lower-priority pods would not help there. */
function selectVictims(pod: PodInfo, node: NodeInfo): PodInfo[] | FilterStatus {
  const trial = node.clone();
  const lower = [...trial.pods.values()].filter((p) => p.priority < pod.priority).sort(moreImportant);
  if (lower.length === 0) {
    return {
      plugin: 'DefaultPreemption',
      code: 'UnschedulableAndUnresolvable',
      reasons: [preemptionReasons.noVictims],
    };
  }
  for (const p of lower) trial.removePod(p.key);
  const status = runFilters(pod, trial);
  if (status) return status;
  const victims: PodInfo[] = [];
  for (const p of lower) {
    trial.addPod(p);
    if (runFilters(pod, trial)) {
      trial.removePod(p.key);
      victims.push(p);
    }
  }
  return victims;
}

interface Candidate {
  node: string;
  victims: PodInfo[];
}

/** pickOneNodeForPreemption: lowest top victim priority, lowest priority sum, fewest victims, latest start. */
function pickCandidate(candidates: Candidate[]): Candidate {
  const top = (c: Candidate) => Math.max(...c.victims.map((v) => v.priority));
  const sum = (c: Candidate) => c.victims.reduce((s, v) => s + v.priority + 2147483648, 0);
  const earliestTopStart = (c: Candidate) => Math.min(...c.victims.filter((v) => v.priority === top(c)).map(startOf));
  const criteria: ((c: Candidate) => number)[] = [top, sum, (c) => c.victims.length, (c) => -earliestTopStart(c)];
  let left = candidates;
  for (const measure of criteria) {
    const best = Math.min(...left.map(measure));
    left = left.filter((c) => measure(c) === best);
    if (left.length === 1) break;
  }
  return left[0];
}

export function preempt(pod: PodInfo, nodeList: NodeInfo[], statuses: Map<string, FilterStatus>): PreemptionResult {
  const nodes = new Map(nodeList.map((n) => [n.name, n]));
  const ineligible = eligibility(pod, nodes, statuses);
  if (ineligible) return { message: preemptionMessage(ineligible) };
  const candidates: Candidate[] = [];
  const dryRun = new Map<string, string[]>();
  for (const node of nodeList) {
    if (statuses.get(node.name)?.code !== 'Unschedulable') continue;
    const result = selectVictims(pod, node);
    if (Array.isArray(result)) candidates.push({ node: node.name, victims: result });
    else dryRun.set(node.name, result.reasons);
  }
  if (candidates.length === 0) {
    const reasons = nodeList.map((n) => dryRun.get(n.name) ?? [preemptionReasons.notHelpful]);
    return { message: preemptionMessage(fitErrorMessage(nodeList.length, reasons)) };
  }
  const chosen = pickCandidate(candidates);
  return { node: chosen.node, victims: chosen.victims };
}
