// Keeps a node group's Nodes carrying the group's current Kubernetes labels and taints, as EKS does after an
// UpdateNodegroupConfig: labels and taints the group set before and no longer lists are removed, others' (the
// kubelet's, the node lifecycle controller's, a user's) are left alone. What the group set is remembered on the
// Node in two annotations.
import type { NodegroupInfo } from '../../cloud/facts.js';
import { ignoreNotFound } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';

export const ownedLabelsAnnotation = 'skiff.io/nodegroup-labels';
export const ownedTaintsAnnotation = 'skiff.io/nodegroup-taints';

type KubeTaint = NodegroupInfo['taints'][number];
const sameTaint = (a: { key: string; effect: string }, b: { key: string; effect: string }) =>
  a.key === b.key && a.effect === b.effect;

function parseList<T>(text: string | undefined): T[] {
  try {
    const parsed = JSON.parse(text ?? '[]');
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** The annotations a new node of the group carries, naming what the group set on it. */
export function ownedAnnotations(ng: NodegroupInfo): Record<string, string> {
  return {
    [ownedLabelsAnnotation]: JSON.stringify(Object.keys(ng.labels).sort()),
    [ownedTaintsAnnotation]: JSON.stringify(ng.taints.map((t) => ({ key: t.key, effect: t.effect }))),
  };
}

/** The merge patch that brings `node` to the group's labels and taints, or undefined when it already has them. */
export function followPatch(node: KubeObject, ng: NodegroupInfo): Record<string, unknown> | undefined {
  const annotations = node.metadata.annotations ?? {};
  const labels = node.metadata.labels ?? {};
  const ownedLabels = parseList<string>(annotations[ownedLabelsAnnotation]);
  const ownedTaints = parseList<{ key: string; effect: string }>(annotations[ownedTaintsAnnotation]);
  const labelPatch: Record<string, string | null> = {};
  for (const key of ownedLabels) if (!(key in ng.labels) && key in labels) labelPatch[key] = null;
  for (const [key, value] of Object.entries(ng.labels)) if (labels[key] !== value) labelPatch[key] = value;
  const current = (node.spec?.taints ?? []) as KubeTaint[];
  const others = current.filter(
    (t) => !ownedTaints.some((o) => sameTaint(o, t)) && !ng.taints.some((d) => sameTaint(d, t)),
  );
  const wanted = [
    ...others,
    ...ng.taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })),
  ];
  const taintsChanged =
    wanted.length !== current.length ||
    wanted.some((w) => !current.some((c) => sameTaint(c, w) && (c.value ?? '') === (w.value ?? '')));
  const owned = ownedAnnotations(ng);
  const annotationPatch = Object.fromEntries(Object.entries(owned).filter(([k, v]) => annotations[k] !== v));
  if (Object.keys(labelPatch).length === 0 && !taintsChanged && Object.keys(annotationPatch).length === 0)
    return undefined;
  return {
    metadata: {
      resourceVersion: node.metadata.resourceVersion,
      ...(Object.keys(labelPatch).length > 0 ? { labels: labelPatch } : {}),
      ...(Object.keys(annotationPatch).length > 0 ? { annotations: annotationPatch } : {}),
    },
    ...(taintsChanged ? { spec: { taints: wanted.length > 0 ? wanted : null } } : {}),
  };
}

/** Patches every node that differs; returns whether all already matched. A conflict is retried on the next pass. */
export async function followNodegroup(client: KubeClient, nodes: KubeObject[], ng: NodegroupInfo): Promise<boolean> {
  let matched = true;
  for (const node of nodes) {
    const patch = followPatch(node, ng);
    if (!patch) continue;
    matched = false;
    await client
      .patch({ apiVersion: 'v1', kind: 'Node' }, node.metadata.name!, patch, 'merge')
      .catch(ignoreNotFound)
      .catch((error) => {
        if (error?.code !== 409) throw error;
      });
  }
  return matched;
}
