// Node selection as component-helpers' nodeaffinity does it, for the default-scheduler and the DaemonSet controller:
// spec.nodeSelector and required node affinity terms (ORed terms, ANDed expressions; In, NotIn, Exists, DoesNotExist,
// Gt, Lt; matchFields on metadata.name) and the summed weights of the preferred terms a node matches.
import type { KubeObject } from '../../kube/api/types.js';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

function matchesRequirement(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0])) {
        return false;
      }
      return r.operator === 'Gt' ? BigInt(value) > BigInt(values[0]) : BigInt(value) < BigInt(values[0]);
    }
    default:
      return false;
  }
}

/** A term matches when it has at least one requirement and all of them hold; an empty term matches no node. */
export function matchesTerm(term: NodeSelectorTerm, node: KubeObject): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  const label = (key: string) => (Object.hasOwn(labels, key) ? labels[key] : undefined);
  const field = (key: string) => (key === 'metadata.name' ? node.metadata.name : undefined);
  return (
    expressions.every((r) => matchesRequirement(r, label(r.key))) &&
    fields.every(
      (r) =>
        r.key === 'metadata.name' &&
        (r.operator === 'In' || r.operator === 'NotIn') &&
        matchesRequirement(r, field(r.key)),
    )
  );
}

/** `GetRequiredNodeAffinity(pod).Match(node)`: the pod spec's nodeSelector and required node affinity both hold. */
export function matchesRequiredNodeAffinity(podSpec: KubeObject['spec'], node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [key, value] of Object.entries<string>(podSpec?.nodeSelector ?? {})) {
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  const required = podSpec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  const terms: NodeSelectorTerm[] = required.nodeSelectorTerms ?? [];
  return terms.some((term) => matchesTerm(term, node));
}

/** The summed weights of the preferred node affinity terms the node matches (before normalising). */
export function preferredNodeAffinityScore(podSpec: KubeObject['spec'], node: KubeObject): number {
  const preferred: { weight?: number; preference?: NodeSelectorTerm }[] =
    podSpec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  let score = 0;
  for (const p of preferred) if (p.weight && p.preference && matchesTerm(p.preference, node)) score += p.weight;
  return score;
}
