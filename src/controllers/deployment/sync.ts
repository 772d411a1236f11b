// The shared pieces of a deployment sync: scaling an RS with its ScalingReplicaSet event, finding or creating the
// new RS for the current template (revision bookkeeping included), writing status, and revision-history cleanup.

import { recordEvent } from '../../client/events.js';
import type { Lister } from '../../client/lister.js';
import { controllerRefOf, controllerRefTo } from '../../client/owners.js';
import { ignoreNotFound } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { podTemplateHash } from './hash.js';
import {
  byCreation,
  hashLabel,
  maxSurge,
  revisionAnnotation,
  revisionOf,
  sameTemplate,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  sum,
} from './replicasets.js';
import { condition, hasProgressDeadline, reasons, setCondition, statusEqual } from './status.js';

export const component = 'deployment-controller';
export const rsRef = (namespace: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace });
export const deploymentKind = { apiVersion: 'apps/v1', kind: 'Deployment' };
export const deployRef = (namespace: string) => ({ ...deploymentKind, namespace });

export interface Sync {
  client: KubeClient;
  /** The shared caches of ReplicaSets and Pods. */
  listers: DeploymentListers;
  /** The deployment as last written; its status is updated in place as the sync writes it. */
  d: KubeObject;
  now: () => number;
}

export interface DeploymentListers {
  replicaSets: Lister;
  pods: Lister;
}

/** `scaleReplicaSetAndRecordEvent`: true when the RS's size changed. */
export async function scaleTo(s: Sync, rs: KubeObject, replicas: number): Promise<boolean> {
  const from = specReplicas(rs);
  const copy = structuredClone(rs);
  copy.spec.replicas = replicas;
  const annotationsChanged = setReplicasAnnotations(copy, s.d);
  if (from === replicas && !annotationsChanged) return false;
  const updated = await s.client.update(copy);
  Object.assign(rs, updated);
  if (from === replicas) return false;
  const verb = from < replicas ? 'up' : 'down';
  const message = `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${replicas}`;
  await recordEvent(s.client, component, s.d, 'Normal', 'ScalingReplicaSet', message).catch(() => {});
  return true;
}

export function findNewReplicaSet(d: KubeObject, sets: KubeObject[]): KubeObject | undefined {
  return [...sets].sort(byCreation).find((rs) => sameTemplate(rs.spec?.template, d.spec?.template));
}

/** `NewRSNewReplicas`: the size the new RS may grow to now. */
export function newReplicasFor(d: KubeObject, all: KubeObject[], newRS: KubeObject): number {
  const desired = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type === 'Recreate') return desired;
  const current = sum(all, specReplicas);
  const maxTotal = desired + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, desired - specReplicas(newRS));
}

async function setDeploymentRevision(s: Sync, revision: string): Promise<void> {
  if (s.d.metadata.annotations?.[revisionAnnotation] === revision) return;
  const patch = { metadata: { annotations: { [revisionAnnotation]: revision } } };
  s.d = await s.client.patch(deployRef(s.d.metadata.namespace!), s.d.metadata.name!, patch, 'merge');
}

export async function writeStatus(s: Sync, status: any): Promise<void> {
  if (statusEqual(s.d.status, status)) return;
  s.d = await s.client.update({ ...s.d, status }, { subresource: 'status' });
}

/** `getNewReplicaSet`: the RS for the current template, its revision raised above the old ones; created if asked. */
export async function newReplicaSet(
  s: Sync,
  old: KubeObject[],
  existing: KubeObject | undefined,
  create: boolean,
): Promise<KubeObject | undefined> {
  const revision = Math.max(0, ...old.map(revisionOf)) + 1;
  const nowMs = s.now();
  if (existing) {
    const copy = structuredClone(existing);
    const changed = setNewReplicaSetAnnotations(s.d, copy, revision, true);
    const minReady = s.d.spec?.minReadySeconds ?? 0;
    if (changed || (copy.spec.minReadySeconds ?? 0) !== minReady) {
      copy.spec.minReadySeconds = minReady;
      Object.assign(existing, await s.client.update(copy));
    }
    await setDeploymentRevision(s, existing.metadata.annotations?.[revisionAnnotation] ?? String(revision));
    if (hasProgressDeadline(s.d) && !s.d.status?.conditions?.some((c: any) => c.type === 'Progressing')) {
      const status = structuredClone(s.d.status ?? {});
      const message = `Found new replica set "${existing.metadata.name}"`;
      setCondition(status, condition('True', 'Progressing', reasons.found, message, nowMs));
      await writeStatus(s, status);
    }
    return existing;
  }
  if (!create) return undefined;
  const created = await createReplicaSet(s, old, revision);
  if (specReplicas(created) > 0) {
    const message = `Scaled up replica set ${created.metadata.name} from 0 to ${specReplicas(created)}`;
    await recordEvent(s.client, component, s.d, 'Normal', 'ScalingReplicaSet', message).catch(() => {});
  }
  await setDeploymentRevision(s, String(revision));
  if (hasProgressDeadline(s.d)) {
    const status = structuredClone(s.d.status ?? {});
    const message = `Created new replica set "${created.metadata.name}"`;
    setCondition(status, condition('True', 'Progressing', reasons.created, message, nowMs));
    await writeStatus(s, status);
  }
  return created;
}

async function createReplicaSet(s: Sync, old: KubeObject[], revision: number): Promise<KubeObject> {
  const { d } = s;
  const template = structuredClone(d.spec.template);
  const hash = podTemplateHash(template, d.status?.collisionCount);
  template.metadata = {
    ...(template.metadata ?? {}),
    labels: { ...(template.metadata?.labels ?? {}), [hashLabel]: hash },
  };
  const selector = structuredClone(d.spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [hashLabel]: hash };
  const rs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...template.metadata.labels },
      ownerReferences: [controllerRefTo(d)],
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  rs.spec.replicas = newReplicasFor(d, [...old, rs], rs);
  setNewReplicaSetAnnotations(d, rs, revision, false);
  try {
    return await s.client.create(rs);
  } catch (error: any) {
    if (error?.code !== 409) throw error;
    const found = await s.client.get(rsRef(d.metadata.namespace!), rs.metadata.name!);
    if (controllerRefOf(found)?.uid === d.metadata.uid && sameTemplate(found.spec?.template, d.spec.template)) {
      return found;
    }
    const status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
    await writeStatus(s, status);
    throw new Error(`replica set ${rs.metadata.name} already exists with another template; collisionCount raised`);
  }
}

/** `cleanupDeployment`: deletes the oldest revisions beyond revisionHistoryLimit that are fully scaled down. */
export async function cleanup(s: Sync, old: KubeObject[]): Promise<void> {
  const limit = s.d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const alive = old.filter((rs) => !rs.metadata.deletionTimestamp).sort((a, b) => revisionOf(a) - revisionOf(b));
  const excess = alive.length - limit;
  for (const rs of alive.slice(0, Math.max(0, excess))) {
    const settled = (rs.metadata.generation ?? 0) <= (rs.status?.observedGeneration ?? 0);
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || !settled) continue;
    await s.client.delete(rsRef(rs.metadata.namespace!), rs.metadata.name!).catch(ignoreNotFound);
  }
}
