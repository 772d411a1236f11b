// A DaemonSet's ControllerRevisions (`constructHistory`): the one matching its template is current (created as
// `<ds>-<hash>` when missing, raised to the newest revision number, duplicates folded), the rest are old and
// trimmed to revisionHistoryLimit, never deleting one a live pod still carries.

import { controllerRefTo } from '../../client/owners.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { podTemplateHash } from '../deployment/hash.js';
import {
  claimRevisions,
  deleteRevision,
  maxRevision,
  revisionName,
  revisionRef,
  sameData,
  sortRevisions,
  templatePatch,
} from '../history/revisions.js';
import { hashLabel } from './pods.js';

export interface DaemonSetHistory {
  current: KubeObject;
  old: KubeObject[];
  hash: string;
}

export async function constructHistory(
  client: KubeClient,
  ds: KubeObject,
  pods: KubeObject[],
): Promise<DaemonSetHistory> {
  const old: KubeObject[] = [];
  const matching: KubeObject[] = [];
  for (let revision of await claimRevisions(client, ds)) {
    if (!revision.metadata.labels?.[hashLabel]) {
      const labels = { ...revision.metadata.labels, [hashLabel]: revision.metadata.name! };
      revision = await client.update({ ...revision, metadata: { ...revision.metadata, labels } });
    }
    if (sameData(revision.data, templatePatch(ds))) matching.push(revision);
    else old.push(revision);
  }
  const next = maxRevision(old) + 1;
  let current: KubeObject;
  if (matching.length === 0) current = await snapshot(client, ds, next);
  else {
    current = await dedupe(client, matching, pods);
    if ((current.revision ?? 0) < next) current = await client.update({ ...current, revision: next });
  }
  return { current, old, hash: current.metadata.labels![hashLabel] };
}

async function snapshot(client: KubeClient, ds: KubeObject, revision: number): Promise<KubeObject> {
  const hash = podTemplateHash(ds.spec?.template, ds.status?.collisionCount);
  const name = revisionName(ds.metadata.name!, hash);
  const namespace = ds.metadata.namespace!;
  try {
    return await client.create({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace,
        labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [hashLabel]: hash },
        ...(ds.metadata.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
        ownerReferences: [controllerRefTo(ds)],
      },
      data: templatePatch(ds),
      revision,
    });
  } catch (error: any) {
    if (error?.code !== 409) throw error;
    const existing = await client.get(revisionRef(namespace), name);
    if (sameData(existing.data, templatePatch(ds))) return existing;
    // A different template hashed to the same name: raise collisionCount so the next pass hashes anew.
    const fresh = await client.get({ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace }, ds.metadata.name!);
    if ((fresh.status?.collisionCount ?? undefined) !== (ds.status?.collisionCount ?? undefined)) {
      throw new Error(`found a stale collision count of DaemonSet "${ds.metadata.name}" while processing; will retry`);
    }
    const status = { ...fresh.status, collisionCount: (fresh.status?.collisionCount ?? 0) + 1 };
    await client.update({ ...fresh, status }, { subresource: 'status' });
    throw error;
  }
}

/** Keeps the highest-numbered of several matching revisions, moving pods of the others onto its hash. */
async function dedupe(client: KubeClient, matching: KubeObject[], pods: KubeObject[]): Promise<KubeObject> {
  const keep = matching.reduce((best, r) => ((r.revision ?? 0) >= (best.revision ?? 0) ? r : best));
  const keepHash = keep.metadata.labels![hashLabel];
  for (const duplicate of matching) {
    if (duplicate === keep) continue;
    const duplicateHash = duplicate.metadata.labels?.[hashLabel];
    for (const pod of pods) {
      if (pod.metadata.labels?.[hashLabel] !== duplicateHash) continue;
      const ref = { apiVersion: 'v1', kind: 'Pod', namespace: pod.metadata.namespace };
      await client.patch(ref, pod.metadata.name!, { metadata: { labels: { [hashLabel]: keepHash } } }, 'merge');
    }
    await deleteRevision(client, duplicate);
  }
  return keep;
}

/** `cleanupHistory`: deletes the oldest old revisions beyond the limit that no live pod carries. */
export async function cleanupHistory(client: KubeClient, ds: KubeObject, old: KubeObject[], pods: KubeObject[]) {
  let toKill = old.length - (ds.spec?.revisionHistoryLimit ?? 10);
  if (toKill <= 0) return;
  const live = new Set(pods.map((pod) => pod.metadata.labels?.[hashLabel]).filter(Boolean));
  for (const revision of sortRevisions([...old])) {
    if (toKill <= 0) break;
    if (live.has(revision.metadata.labels?.[hashLabel])) continue;
    await deleteRevision(client, revision);
    toKill--;
  }
}
