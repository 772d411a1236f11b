// ControllerRevisions as Kubernetes' controller history keeps them for DaemonSets and StatefulSets: the patch a
// revision stores (the pod template, replaced whole), equality, ordering, naming, and claiming by selector.

import { claimObjects } from '../../client/claim.js';
import { ignoreNotFound } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { canonical } from '../deployment/hash.js';

export const revisionRef = (namespace: string) => ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', namespace });

/** `getPatch`: a strategic merge patch that restores the owner's pod template. */
export function templatePatch(owner: KubeObject): Record<string, unknown> {
  return { spec: { template: { ...structuredClone(owner.spec?.template ?? {}), $patch: 'replace' } } };
}

/** The owner with its template taken from a revision (`ApplyRevision`). */
export function applyRevision(owner: KubeObject, revision: KubeObject): KubeObject {
  const clone = structuredClone(owner);
  const template = structuredClone(revision.data?.spec?.template);
  if (template) {
    delete template.$patch;
    clone.spec.template = template;
  }
  return clone;
}

/** Whether two revisions (or a revision and a patch) hold the same data. */
export function sameData(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** `ControllerRevisionName`: `<prefix>-<hash>`, the prefix cut to 223 characters. */
export function revisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** `SortControllerRevisions`: by revision number, then creation time, then name. */
export function sortRevisions(revisions: KubeObject[]): KubeObject[] {
  return revisions.sort((a, b) => {
    if ((a.revision ?? 0) !== (b.revision ?? 0)) return (a.revision ?? 0) - (b.revision ?? 0);
    const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
    if (ta !== tb) return ta - tb;
    return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
  });
}

export function maxRevision(revisions: KubeObject[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision ?? 0), 0);
}

/** The owner's revisions in its namespace, adopting orphans its selector matches (`ClaimControllerRevisions`). */
export async function claimRevisions(client: KubeClient, owner: KubeObject): Promise<KubeObject[]> {
  const list = await client.list(revisionRef(owner.metadata.namespace!));
  return claimObjects(client, owner, list.items);
}

export async function deleteRevision(client: KubeClient, revision: KubeObject): Promise<void> {
  await client.delete(revisionRef(revision.metadata.namespace!), revision.metadata.name!).catch(ignoreNotFound);
}
