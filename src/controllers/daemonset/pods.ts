// A DaemonSet's pods: the template it creates them from (daemon tolerations, controller-revision-hash and
// pod-template-generation labels, a required node affinity naming one node), the node a pod is meant for,
// whether it is up to date, and the oldest-first order that picks which of a node's pods counts.
import type { KubeObject } from '../../kube/api/types.js';
import { podFromTemplate } from '../replicaset/pods.js';
import { addDaemonTolerations } from './placement.js';

export const hashLabel = 'controller-revision-hash';
export const generationLabel = 'pod-template-generation';
export const templateGenerationAnnotation = 'deprecated.daemonset.template.generation';

/** The DaemonSet's templateGeneration, undefined when absent or not a number. */
export function templateGenerationOf(ds: KubeObject): number | undefined {
  const value = ds.metadata.annotations?.[templateGenerationAnnotation];
  const generation = value === undefined ? Number.NaN : Number(value);
  return Number.isInteger(generation) ? generation : undefined;
}

/** `CreatePodTemplate`: the template with daemon tolerations and the generation and hash labels. */
export function daemonPodTemplate(ds: KubeObject, hash: string): KubeObject['spec'] {
  const template = structuredClone(ds.spec?.template ?? {});
  template.spec ??= {};
  addDaemonTolerations(template.spec);
  const labels = { ...(template.metadata?.labels ?? {}) };
  const generation = templateGenerationOf(ds);
  if (generation !== undefined) labels[generationLabel] = String(generation);
  if (hash) labels[hashLabel] = hash;
  template.metadata = { ...template.metadata, labels };
  return template;
}

/** `ReplaceDaemonSetPodNodeNameNodeAffinity`: the only required term is `metadata.name In [node]`. */
export function withNodeAffinity(spec: KubeObject['spec'], nodeName: string): void {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  spec.affinity ??= {};
  spec.affinity.nodeAffinity ??= {};
  const required = spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) required.nodeSelectorTerms = [term];
  else spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [term] };
}

/** The pod a DaemonSet creates for one node (scheduled there by the default scheduler). */
export function daemonPodFor(ds: KubeObject, template: KubeObject['spec'], nodeName: string): KubeObject {
  const pod = podFromTemplate(ds, template);
  withNodeAffinity(pod.spec, nodeName);
  return pod;
}

/** `GetTargetNodeName`: spec.nodeName, else the node the `metadata.name In [...]` affinity field names. */
export function targetNodeName(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const term of terms ?? []) {
    for (const field of term.matchFields ?? []) {
      if (field.key === 'metadata.name' && field.operator === 'In') {
        return field.values?.length === 1 ? field.values[0] : undefined;
      }
    }
  }
  return undefined;
}

/** `IsPodUpdated`: the pod carries the current hash or the current template generation. */
export function isPodUpdated(pod: KubeObject, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const templateMatches = generation !== undefined && labels[generationLabel] === String(generation);
  const hashMatches = hash.length > 0 && labels[hashLabel] === hash;
  return hashMatches || templateMatches;
}

/** `podByCreationTimestampAndPhase`: scheduled pods first, then oldest, then by name. */
export function byCreationAndPhase(a: KubeObject, b: KubeObject): number {
  const boundA = Boolean(a.spec?.nodeName);
  const boundB = Boolean(b.spec?.nodeName);
  if (boundA !== boundB) return boundA ? -1 : 1;
  const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
}

export const isTerminal = (pod: KubeObject) => ['Succeeded', 'Failed'].includes(pod.status?.phase);
