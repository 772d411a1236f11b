// A StatefulSet's ControllerRevisions (`getStatefulSetRevisions`, `truncateHistory`): the update revision is the
// newest if it holds the current template, an older equal one renumbered, or a new `<set>-<hash>`; the current
// revision is the one status names. History beyond revisionHistoryLimit goes unless a pod or status uses it.

import { controllerRefTo } from '../../client/owners.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { podTemplateHash } from '../deployment/hash.js';
import { deleteRevision, revisionName, revisionRef, sameData, templatePatch } from '../history/revisions.js';
import { revisionOf } from './identity.js';

export const revisionHashLabel = 'controller.kubernetes.io/hash';

/** `newRevision` via `NewControllerRevision`: template labels plus the hash, the set's annotations. */
function newRevision(set: KubeObject, revision: number, collisionCount: number): KubeObject {
  const data = templatePatch(set);
  const hash = podTemplateHash(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(set.metadata.name!, hash),
      namespace: set.metadata.namespace,
      labels: { ...(set.spec?.template?.metadata?.labels ?? {}), [revisionHashLabel]: hash },
      annotations: { ...(set.metadata.annotations ?? {}) },
      ownerReferences: [controllerRefTo(set)],
    },
    data,
    revision,
  };
}

/** `CreateControllerRevision`: on a name clash with different data, raise collisionCount and hash again. */
async function createRevision(client: KubeClient, set: KubeObject, revision: number, collision: { count: number }) {
  for (;;) {
    const candidate = newRevision(set, revision, collision.count);
    try {
      return await client.create(candidate);
    } catch (error: any) {
      if (error?.code !== 409) throw error;
      const existing = await client.get(revisionRef(set.metadata.namespace!), candidate.metadata.name!);
      if (sameData(existing.data, candidate.data)) return existing;
      collision.count++;
    }
  }
}

export interface Revisions {
  current: KubeObject;
  update: KubeObject;
  collisionCount: number;
}

/** `revisions` sorted oldest first. */
export async function statefulSetRevisions(client: KubeClient, set: KubeObject, revisions: KubeObject[]) {
  const collision = { count: set.status?.collisionCount ?? 0 };
  const next = (revisions.at(-1)?.revision ?? 0) + 1;
  const data = templatePatch(set);
  const equal = revisions.filter((r) => sameData(r.data, data));
  let update: KubeObject;
  if (equal.length > 0 && equal.at(-1) === revisions.at(-1)) update = revisions.at(-1)!;
  else if (equal.length > 0) update = await client.update({ ...equal.at(-1)!, revision: next });
  else update = await createRevision(client, set, next, collision);
  const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount: collision.count } satisfies Revisions;
}

/** Deletes the oldest revisions beyond the limit that neither status nor any pod refers to. */
export async function truncateHistory(
  client: KubeClient,
  set: KubeObject,
  pods: KubeObject[],
  revisions: KubeObject[],
  r: Revisions,
) {
  const live = new Set([r.current.metadata.name, r.update.metadata.name, ...pods.map(revisionOf)]);
  const history = revisions.filter((revision) => !live.has(revision.metadata.name));
  const excess = history.length - (set.spec?.revisionHistoryLimit ?? 10);
  for (const revision of history.slice(0, Math.max(0, excess))) await deleteRevision(client, revision);
}
