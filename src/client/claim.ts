// Claiming dependents by selector, as client-go's ControllerRefManager does: adopt orphans that match (unless the
// owner or the orphan is being deleted), release owned objects that no longer match, return those owned.
import { ignoreNotFound } from '../kube/api/errors.js';
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient } from '../kube/client/types.js';
import { labelSelectorOf, matchesLabels, requirementsOf } from '../kube/selectors/labels.js';
import { controllerRefOf, controllerRefTo } from './owners.js';

export interface ClaimOptions {
  /** Narrows which objects the owner may claim at all (a StatefulSet's pods are named after it). */
  filter?: (object: KubeObject) => boolean;
  /** False when the owner may no longer adopt (a finished Job); it still keeps and releases. */
  adopt?: boolean;
}

export async function claimObjects(
  client: KubeClient,
  owner: KubeObject,
  objects: Iterable<KubeObject>,
  { filter = () => true, adopt = true }: ClaimOptions = {},
): Promise<KubeObject[]> {
  const selector = requirementsOf(labelSelectorOf(owner));
  const deleting = Boolean(owner.metadata.deletionTimestamp);
  const owned: KubeObject[] = [];
  for (const object of objects) {
    const ref = controllerRefOf(object);
    const matches = selector.length > 0 && matchesLabels(selector, object.metadata.labels) && filter(object);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches) owned.push(object);
      else if (!deleting) {
        const ownerReferences = (object.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
        await client.update({ ...object, metadata: { ...object.metadata, ownerReferences } }).catch(ignoreNotFound);
      }
      continue;
    }
    if (!matches || !adopt || deleting || object.metadata.deletionTimestamp) continue;
    const ownerReferences = [...(object.metadata.ownerReferences ?? []), controllerRefTo(owner)];
    try {
      owned.push(await client.update({ ...object, metadata: { ...object.metadata, ownerReferences } }));
    } catch (error) {
      ignoreNotFound(error);
    }
  }
  return owned;
}
