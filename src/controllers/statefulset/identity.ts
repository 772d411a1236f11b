// A StatefulSet pod's stable identity: its ordinal and name `<set>-<ordinal>`, the pod-name and pod-index labels,
// hostname and subdomain (the governing service), and its storage — one PVC `<claim>-<set>-<ordinal>` per
// volumeClaimTemplate, mounted under the template's name. Also the pod a set makes for one ordinal and revision.
import type { KubeObject } from '../../kube/api/types.js';
import { podFromTemplate } from '../replicaset/pods.js';

export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
export const podIndexLabel = 'apps.kubernetes.io/pod-index';
export const revisionLabel = 'controller-revision-hash';

const statefulPodName = /^(.*)-([0-9]+)$/;

/** The parent set's name and the ordinal in a pod's name; ordinal -1 when the name has none. */
export function parentAndOrdinal(pod: KubeObject): { parent: string; ordinal: number } {
  const match = statefulPodName.exec(pod.metadata.name ?? '');
  if (!match) return { parent: '', ordinal: -1 };
  const ordinal = Number.parseInt(match[2], 10);
  return ordinal <= 2 ** 31 - 1 ? { parent: match[1], ordinal } : { parent: '', ordinal: -1 };
}

export const ordinalOf = (pod: KubeObject) => parentAndOrdinal(pod).ordinal;
export const startOrdinal = (set: KubeObject): number => set.spec?.ordinals?.start ?? 0;
export const replicasOf = (set: KubeObject): number => set.spec?.replicas ?? 1;
export const endOrdinal = (set: KubeObject): number => startOrdinal(set) + replicasOf(set) - 1;
export const podName = (set: KubeObject, ordinal: number) => `${set.metadata.name}-${ordinal}`;
export const revisionOf = (pod: KubeObject): string => pod.metadata.labels?.[revisionLabel] ?? '';

export function inOrdinalRange(pod: KubeObject, set: KubeObject): boolean {
  const ordinal = ordinalOf(pod);
  return ordinal >= startOrdinal(set) && ordinal <= endOrdinal(set);
}

/** `isMemberOf`: the pod's name says it belongs to the set. */
export function isMemberOf(set: KubeObject, pod: KubeObject): boolean {
  return parentAndOrdinal(pod).parent === set.metadata.name;
}

/** The PVCs a pod of the set uses, by volumeClaimTemplate name, labelled with the selector's matchLabels. */
export function claimsFor(set: KubeObject, ordinal: number): Map<string, KubeObject> {
  const claims = new Map<string, KubeObject>();
  const selectorLabels = set.spec?.selector?.matchLabels ?? {};
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const claim = structuredClone(template);
    const templateName = template.metadata?.name;
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = {
      ...claim.metadata,
      name: `${templateName}-${set.metadata.name}-${ordinal}`,
      namespace: set.metadata.namespace,
      labels: { ...(claim.metadata?.labels ?? {}), ...selectorLabels },
    };
    delete claim.status;
    claims.set(templateName, claim);
  }
  return claims;
}

/** `updateStorage`: one volume per claim template naming the pod's PVC; other volumes kept. */
export function updateStorage(set: KubeObject, pod: KubeObject): void {
  const claims = claimsFor(set, ordinalOf(pod));
  const volumes = [...claims].map(([name, claim]) => ({
    name,
    persistentVolumeClaim: { claimName: claim.metadata.name },
  }));
  for (const volume of pod.spec?.volumes ?? []) if (!claims.has(volume.name)) volumes.push(volume);
  pod.spec.volumes = volumes;
}

export function storageMatches(set: KubeObject, pod: KubeObject): boolean {
  const claims = claimsFor(set, ordinalOf(pod));
  const volumes = new Map<string, any>((pod.spec?.volumes ?? []).map((v: any) => [v.name, v]));
  for (const [name, claim] of claims) {
    if (volumes.get(name)?.persistentVolumeClaim?.claimName !== claim.metadata.name) return false;
  }
  return true;
}

/** `updateIdentity`: name, namespace and the pod-name and pod-index labels. */
export function updateIdentity(set: KubeObject, pod: KubeObject): void {
  const ordinal = ordinalOf(pod);
  pod.metadata.name = podName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...pod.metadata.labels, [podNameLabel]: pod.metadata.name, [podIndexLabel]: String(ordinal) };
}

export function identityMatches(set: KubeObject, pod: KubeObject): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod);
  return (
    ordinal >= 0 &&
    parent === set.metadata.name &&
    pod.metadata.name === podName(set, ordinal) &&
    pod.metadata.namespace === set.metadata.namespace &&
    pod.metadata.labels?.[podNameLabel] === pod.metadata.name &&
    pod.metadata.labels?.[podIndexLabel] === String(ordinal)
  );
}

/** `newStatefulSetPod`: the template's pod named for the ordinal, with hostname, subdomain and storage. */
export function newStatefulSetPod(set: KubeObject, ordinal: number): KubeObject {
  const pod = podFromTemplate(set, set.spec?.template);
  delete pod.metadata.generateName;
  pod.metadata.name = podName(set, ordinal);
  updateIdentity(set, pod);
  pod.spec.hostname = pod.metadata.name;
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
  updateStorage(set, pod);
  return pod;
}

/** The normalised rolling-update settings, undefined for OnDelete without any. */
export function rollingUpdateOf(set: KubeObject): { partition: number } | undefined {
  const strategy = set.spec?.updateStrategy ?? {};
  if ((strategy.type ?? 'RollingUpdate') === 'RollingUpdate')
    return { partition: strategy.rollingUpdate?.partition ?? 0 };
  return strategy.rollingUpdate ? { partition: strategy.rollingUpdate.partition ?? 0 } : undefined;
}

/** `newVersionedStatefulSetPod`: ordinals below the partition keep the current revision, the rest take the update. */
export function newVersionedPod(
  currentSet: KubeObject,
  updateSet: KubeObject,
  currentRevision: string,
  updateRevision: string,
  ordinal: number,
): KubeObject {
  const rolling = rollingUpdateOf(currentSet);
  const useCurrent = rolling !== undefined && ordinal < startOrdinal(currentSet) + rolling.partition;
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal);
  pod.metadata.labels = { ...pod.metadata.labels, [revisionLabel]: useCurrent ? currentRevision : updateRevision };
  return pod;
}
