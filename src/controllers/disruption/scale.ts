// How many pods a budget expects (`getExpectedPodCount`): with an int minAvailable, the pods it selects; with a
// percentage or maxUnavailable, the sum of the scale of the pods' controllers — a Deployment through its
// ReplicaSet, a ReplicaSet, a StatefulSet, a ReplicationController, or anything with a scale subresource.

import { getIfExists } from '../../client/objects.js';
import { controllerRefOf } from '../../client/owners.js';
import type { KubeObject, OwnerReference } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { scaledValue } from './status.js';

export interface Expected {
  expectedPods: number;
  desiredHealthy: number;
  /** Pods without a controller, which a percentage cannot account for (the UnmanagedPods warning). */
  unmanaged: string[];
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

interface ControllerScale {
  uid: string;
  scale: number;
}

/** The podControllerFinders in turn; undefined when none claims the reference. */
async function controllerScale(client: KubeClient, ref: OwnerReference, namespace: string) {
  const group = groupOf(ref.apiVersion);
  const apps = group === 'apps' || group === 'extensions';
  const named = async (apiVersion: string, kind: string, name: string, uid: string) => {
    const object = await getIfExists(client, { apiVersion, kind, namespace }, name);
    return object?.metadata.uid === uid ? object : undefined;
  };
  const scaleOf = (object: KubeObject): ControllerScale => ({
    uid: object.metadata.uid!,
    scale: object.spec?.replicas ?? 1,
  });
  if (ref.kind === 'ReplicaSet' && apps) {
    const rs = await named('apps/v1', 'ReplicaSet', ref.name, ref.uid);
    if (!rs) return undefined;
    const owner = controllerRefOf(rs);
    if (owner?.kind !== 'Deployment') return scaleOf(rs);
    if (!['apps', 'extensions'].includes(groupOf(owner.apiVersion))) return undefined;
    const deployment = await named('apps/v1', 'Deployment', owner.name, owner.uid);
    return deployment && scaleOf(deployment);
  }
  if (ref.kind === 'StatefulSet' && apps) {
    const sts = await named('apps/v1', 'StatefulSet', ref.name, ref.uid);
    return sts && scaleOf(sts);
  }
  if (ref.kind === 'ReplicationController' && group === '') {
    const rc = await named('v1', 'ReplicationController', ref.name, ref.uid);
    return rc && scaleOf(rc);
  }
  const scale = await client
    .get({ apiVersion: ref.apiVersion, kind: ref.kind, namespace }, ref.name, 'scale')
    .catch(() => undefined);
  return scale?.metadata.uid === ref.uid ? { uid: ref.uid, scale: scale.spec?.replicas ?? 0 } : undefined;
}

/** `getExpectedScale`: the sum over the distinct controllers of the pods. */
async function expectedScale(client: KubeClient, pods: KubeObject[]): Promise<{ count: number; unmanaged: string[] }> {
  const scales = new Map<string, number>();
  const seen = new Set<string>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    if (!ref) {
      unmanaged.push(pod.metadata.name!);
      continue;
    }
    if (seen.has(ref.uid)) continue;
    const found = await controllerScale(client, ref, pod.metadata.namespace!);
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    seen.add(ref.uid);
    scales.set(found.uid, found.scale);
  }
  return { count: [...scales.values()].reduce((a, b) => a + b, 0), unmanaged };
}

export async function expectedPodCount(client: KubeClient, pdb: KubeObject, pods: KubeObject[]): Promise<Expected> {
  const { maxUnavailable, minAvailable } = pdb.spec ?? {};
  if (maxUnavailable != null) {
    const { count, unmanaged } = await expectedScale(client, pods);
    const desiredHealthy = Math.max(0, count - scaledValue(maxUnavailable, count));
    return { expectedPods: count, desiredHealthy, unmanaged };
  }
  if (typeof minAvailable === 'number') {
    return { expectedPods: pods.length, desiredHealthy: minAvailable, unmanaged: [] };
  }
  if (minAvailable != null) {
    const { count, unmanaged } = await expectedScale(client, pods);
    return { expectedPods: count, desiredHealthy: scaledValue(minAvailable, count), unmanaged };
  }
  return { expectedPods: 0, desiredHealthy: 0, unmanaged: [] };
}
