// The default profile's scoring, as kube-scheduler weighs it: TaintToleration ×3 (fewest untolerated
// PreferNoSchedule taints), NodeAffinity ×2 (preferred terms), NodeResourcesFit ×1 (LeastAllocated on cpu and
// memory, non-zero requests) and NodeResourcesBalancedAllocation ×1; each normalised to 0–100. The highest total
// wins; ties are broken at random, as selectHost does.
import { preferredNodeAffinityScore } from '../predicates/node-affinity.js';
import { intolerablePreferNoSchedule } from '../predicates/taints.js';
import type { NodeInfo, PodInfo } from './node-info.js';

export const maxNodeScore = 100;
const weights = { taintToleration: 3, nodeAffinity: 2, leastAllocated: 1, balancedAllocation: 1 };

function leastAllocated(pod: PodInfo, node: NodeInfo): number {
  const score = (allocatable: number, requested: number) =>
    allocatable === 0 || requested > allocatable
      ? 0
      : Math.floor(((allocatable - requested) * maxNodeScore) / allocatable);
  const cpu = score(node.allocatable.milliCPU, node.nonZeroRequested.milliCPU + pod.nonZero.milliCPU);
  const memory = score(node.allocatable.memory, node.nonZeroRequested.memory + pod.nonZero.memory);
  return Math.floor((cpu + memory) / 2);
}

function balancedAllocation(pod: PodInfo, node: NodeInfo): number {
  const fractions: number[] = [];
  const { allocatable: a, requested: used } = node;
  if (a.milliCPU > 0) fractions.push(Math.min(1, (used.milliCPU + pod.requests.milliCPU) / a.milliCPU));
  if (a.memory > 0) fractions.push(Math.min(1, (used.memory + pod.requests.memory) / a.memory));
  const std = fractions.length === 2 ? Math.abs((fractions[0] - fractions[1]) / 2) : 0;
  return Math.trunc((1 - std) * maxNodeScore);
}

/** DefaultNormalizeScore: scale to 0–100 by the highest raw score, reversed for "fewer is better". */
function normalize(raw: number[], reverse: boolean): number[] {
  const top = Math.max(0, ...raw);
  if (top === 0) return raw.map(() => (reverse ? maxNodeScore : 0));
  return raw.map((s) => {
    const scaled = Math.floor((maxNodeScore * s) / top);
    return reverse ? maxNodeScore - scaled : scaled;
  });
}

export function scoreNodes(pod: PodInfo, nodes: NodeInfo[]): number[] {
  const tolerations = pod.pod.spec?.tolerations;
  const taints = normalize(
    nodes.map((n) => intolerablePreferNoSchedule(n.node.spec?.taints, tolerations)),
    true,
  );
  const affinity = normalize(
    nodes.map((n) => preferredNodeAffinityScore(pod.pod.spec, n.node)),
    false,
  );
  return nodes.map(
    (n, i) =>
      weights.taintToleration * taints[i] +
      weights.nodeAffinity * affinity[i] +
      weights.leastAllocated * leastAllocated(pod, n) +
      weights.balancedAllocation * balancedAllocation(pod, n),
  );
}

/** The index of the best score; among equals each is equally likely (reservoir sampling, as selectHost). */
export function selectHost(scores: number[], random: () => number = Math.random): number {
  let best = -1;
  let ties = 0;
  for (let i = 0; i < scores.length; i++) {
    if (best < 0 || scores[i] > scores[best]) {
      best = i;
      ties = 1;
    } else if (scores[i] === scores[best]) {
      ties++;
      if (random() * ties < 1) best = i;
    }
  }
  return best;
}
