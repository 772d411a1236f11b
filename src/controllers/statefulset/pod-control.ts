// How a StatefulSet creates, repairs and deletes its pods (`StatefulPodControl`): PVCs before the pod, identity
// and storage put right in place, claims owned per persistentVolumeClaimRetentionPolicy, and the events
// kube-controller-manager records ("create Pod web-0 in StatefulSet web successful").

import { recordEvent } from '../../client/events.js';
import { controllerRefTo } from '../../client/owners.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import {
  claimsFor,
  identityMatches,
  inOrdinalRange,
  ordinalOf,
  storageMatches,
  updateIdentity,
  updateStorage,
} from './identity.js';

export const component = 'statefulset-controller';
const podRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace });
const claimRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace });
const title = (verb: string) => verb[0].toUpperCase() + verb.slice(1);

export async function setEvent(
  client: KubeClient,
  set: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
) {
  await recordEvent(client, component, set, type, reason, message).catch(() => {});
}

async function podEvent(client: KubeClient, verb: string, set: KubeObject, pod: KubeObject, error?: any) {
  const [name, setName] = [pod.metadata.name, set.metadata.name];
  if (!error)
    await setEvent(
      client,
      set,
      'Normal',
      `Successful${title(verb)}`,
      `${verb} Pod ${name} in StatefulSet ${setName} successful`,
    );
  else {
    const message = `${verb} Pod ${name} in StatefulSet ${setName} failed error: ${error?.message ?? error}`;
    await setEvent(client, set, 'Warning', `Failed${title(verb)}`, message);
  }
}

async function claimEvent(
  client: KubeClient,
  verb: string,
  set: KubeObject,
  pod: KubeObject,
  claim: KubeObject,
  error?: any,
) {
  const [claimName, name, setName] = [claim.metadata.name, pod.metadata.name, set.metadata.name];
  if (!error) {
    const message = `${verb} Claim ${claimName} Pod ${name} in StatefulSet ${setName} success`;
    await setEvent(client, set, 'Normal', `Successful${title(verb)}`, message);
  } else {
    const message = `${verb} Claim ${claimName} for Pod ${name} in StatefulSet ${setName} failed error: ${error?.message ?? error}`;
    await setEvent(client, set, 'Warning', `Failed${title(verb)}`, message);
  }
}

/** `createPersistentVolumeClaims`: creates the pod's missing PVCs; a claim being deleted is an error. */
export async function createClaims(client: KubeClient, set: KubeObject, pod: KubeObject): Promise<void> {
  const errors: string[] = [];
  for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
    let existing: KubeObject | undefined;
    try {
      existing = await client.get(claimRef(set.metadata.namespace!), claim.metadata.name!);
    } catch (error: any) {
      if (error?.code !== 404) {
        errors.push(`failed to retrieve PVC ${claim.metadata.name}: ${error?.message ?? error}`);
        await claimEvent(client, 'create', set, pod, claim, error);
        continue;
      }
    }
    if (existing) {
      if (existing.metadata.deletionTimestamp) errors.push(`pvc ${claim.metadata.name} is being deleted`);
      continue;
    }
    try {
      await client.create(claim);
      await claimEvent(client, 'create', set, pod, claim);
    } catch (error: any) {
      errors.push(`failed to create PVC ${claim.metadata.name}: ${error?.message ?? error}`);
      if (error?.code !== 409) await claimEvent(client, 'create', set, pod, claim, error);
    }
  }
  if (errors.length) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
}

export async function createStatefulPod(client: KubeClient, set: KubeObject, pod: KubeObject): Promise<void> {
  try {
    await createClaims(client, set, pod);
  } catch (error) {
    await podEvent(client, 'create', set, pod, error);
    throw error;
  }
  try {
    const created = await client.create(pod);
    await updateClaimsForRetention(client, set, created);
  } catch (error: any) {
    if (error?.code === 409) throw error;
    await podEvent(client, 'create', set, pod, error);
    throw error;
  }
  await podEvent(client, 'create', set, pod);
}

/** `UpdateStatefulPod`: puts identity, storage and claim ownership right, writing the pod only if it changed. */
export async function updateStatefulPod(client: KubeClient, set: KubeObject, original: KubeObject): Promise<void> {
  let pod = structuredClone(original);
  for (let attempt = 0; ; attempt++) {
    let consistent = true;
    try {
      if (!identityMatches(set, pod)) {
        updateIdentity(set, pod);
        consistent = false;
      }
      if (!storageMatches(set, pod)) {
        updateStorage(set, pod);
        consistent = false;
        await createClaims(client, set, pod);
      }
      if (!(await claimsMatchRetention(client, set, pod))) {
        await updateClaimsForRetention(client, set, pod);
        consistent = false;
      }
      if (consistent) return;
      await client.update(pod);
      await podEvent(client, 'update', set, pod);
      return;
    } catch (error: any) {
      if (error?.code === 409 && attempt < 4) {
        pod = await client.get(podRef(set.metadata.namespace!), pod.metadata.name!);
        continue;
      }
      await podEvent(client, 'update', set, pod, error);
      throw error;
    }
  }
}

export async function deleteStatefulPod(client: KubeClient, set: KubeObject, pod: KubeObject): Promise<void> {
  try {
    await client.delete(podRef(set.metadata.namespace!), pod.metadata.name!);
  } catch (error) {
    await podEvent(client, 'delete', set, pod, error);
    throw error;
  }
  await podEvent(client, 'delete', set, pod);
}

/** Which of set and pod should own each claim: whenDeleted Delete → the set; whenScaled Delete and scaled away → the pod. */
function wantedOwners(set: KubeObject, pod: KubeObject): KubeObject[] {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  const scaledDown = !inOrdinalRange(pod, set);
  const owners: KubeObject[] = [];
  if (policy.whenScaled === 'Delete' && scaledDown) owners.push(pod);
  if (policy.whenDeleted === 'Delete' && !(policy.whenScaled === 'Delete' && scaledDown)) owners.push(set);
  return owners;
}

const refersTo = (claim: KubeObject, owner: KubeObject) =>
  (claim.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);

async function existingClaims(client: KubeClient, set: KubeObject, pod: KubeObject): Promise<KubeObject[]> {
  const found: KubeObject[] = [];
  for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
    try {
      found.push(await client.get(claimRef(set.metadata.namespace!), claim.metadata.name!));
    } catch (error: any) {
      if (error?.code !== 404) throw error;
    }
  }
  return found;
}

/** `ClaimsMatchRetentionPolicy`: each existing claim is owned by exactly the wanted ones of set and pod. */
export async function claimsMatchRetention(client: KubeClient, set: KubeObject, pod: KubeObject): Promise<boolean> {
  if (!pod.metadata.uid) return true;
  const wanted = wantedOwners(set, pod);
  for (const claim of await existingClaims(client, set, pod)) {
    for (const owner of [set, pod]) if (refersTo(claim, owner) !== wanted.includes(owner)) return false;
  }
  return true;
}

/** `UpdatePodClaimForRetentionPolicy`: rewrites the claims' references to set and pod as the policy wants. */
export async function updateClaimsForRetention(client: KubeClient, set: KubeObject, pod: KubeObject): Promise<void> {
  if (!pod.metadata.uid) return;
  const wanted = wantedOwners(set, pod);
  for (const claim of await existingClaims(client, set, pod)) {
    const others = (claim.metadata.ownerReferences ?? []).filter(
      (r) => r.uid !== set.metadata.uid && r.uid !== pod.metadata.uid,
    );
    const refs = [...others, ...wanted.map(controllerRefTo)];
    if (JSON.stringify(refs) === JSON.stringify(claim.metadata.ownerReferences ?? [])) continue;
    await client.update({ ...claim, metadata: { ...claim.metadata, ownerReferences: refs } });
  }
}
