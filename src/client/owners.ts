// Owner references: a dependent's controller reference, the one an owner sets on what it creates, and which
// owners' keys a dependent's change concerns (its controller's, or for an orphan those whose selector matches it).
import type { KubeObject, OwnerReference } from '../kube/api/types.js';
import { labelSelectorOf, matchesLabels, requirementsOf } from '../kube/selectors/labels.js';
import type { KeysOf } from './controller.js';
import type { Indexer } from './indexer.js';
import { keyOf } from './informer.js';

export function controllerRefOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller);
}

export function controllerRefTo(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The owning kind; `group` (and `version`) narrow the reference's apiVersion when given. */
export interface OwnerKind {
  kind: string;
  group?: string;
  version?: string;
}

function isOwnerKind(ref: OwnerReference, owner: OwnerKind): boolean {
  if (ref.kind !== owner.kind) return false;
  if (owner.version !== undefined) return ref.apiVersion === `${owner.group}/${owner.version}`;
  return owner.group === undefined || ref.apiVersion.startsWith(`${owner.group}/`);
}

/** Whether the owner's (non-empty) selector matches the object's labels. */
export function selectorMatches(owner: KubeObject, object: KubeObject): boolean {
  const selector = requirementsOf(labelSelectorOf(owner));
  return selector.length > 0 && matchesLabels(selector, object.metadata.labels);
}

/**
 * controller-runtime's EnqueueRequestForOwner (controllers only): a dependent's change queues the key of the
 * `owner`-kind controller of each version. With `adopters` (the owners' cache), a live orphan queues every
 * owner in its namespace whose selector matches it, so one may adopt it.
 */
export function controllerOwnerKeys(owner: OwnerKind, adopters?: Indexer): KeysOf {
  return function* (old, current) {
    for (const version of [old, current]) {
      if (!version) continue;
      const ref = controllerRefOf(version);
      if (ref) {
        if (isOwnerKind(ref, owner)) yield `${version.metadata.namespace}/${ref.name}`;
      } else if (adopters && current && !current.metadata.deletionTimestamp) {
        for (const candidate of adopters.byIndex('namespace', version.metadata.namespace!)) {
          if (selectorMatches(candidate, version)) yield keyOf(candidate);
        }
      }
    }
  };
}
