// Reconciles one Deployment (`syncDeployment`): claims its ReplicaSets, then either only scales (paused or a
// replicas change) or rolls out by its strategy, cleans up old revisions and writes status and conditions.

import { claimObjects } from '../../client/claim.js';
import { recordEvent } from '../../client/events.js';
import { controllerRefOf } from '../../client/owners.js';
import type { ReconcileResult } from '../../client/queue.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { requirementsOf } from '../../kube/selectors/labels.js';
import { statusOf, sum } from './replicasets.js';
import { isScalingEvent, rollingStep, scale, scaleDownAll } from './rollout.js';
import {
  calculateStatus,
  condition,
  getCondition,
  hasProgressDeadline,
  isComplete,
  reasons,
  rolloutStatus,
  setCondition,
  untilDeadlineMs,
} from './status.js';
import {
  cleanup,
  component,
  type DeploymentListers,
  findNewReplicaSet,
  newReplicaSet,
  type Sync,
  scaleTo,
  writeStatus,
} from './sync.js';

export async function reconcileDeployment(
  client: KubeClient,
  listers: DeploymentListers,
  d: KubeObject,
  now: () => number = Date.now,
): Promise<ReconcileResult> {
  const selector = requirementsOf(d.spec?.selector);
  if (selector.length === 0) {
    const message = 'This deployment will select all pods; a non-empty selector is required.';
    await recordEvent(client, component, d, 'Warning', 'SelectingAll', message).catch(() => {});
    return {};
  }
  const s: Sync = { client, listers, d, now };
  const sets = await claimReplicaSets(s);
  const existing = findNewReplicaSet(s.d, sets);
  const old = sets.filter((rs) => rs !== existing);
  if (s.d.metadata.deletionTimestamp) {
    await writeStatus(s, calculateStatus(s.d, sets, existing, now()));
    return {};
  }
  await checkPausedCondition(s);
  if (s.d.spec?.paused || isScalingEvent(s.d, sets)) {
    const newRS = await newReplicaSet(s, old, existing, false);
    await scale(s, newRS, old);
    if (s.d.spec?.paused) await cleanup(s, old);
    await writeStatus(s, calculateStatus(s.d, newRS ? [...old, newRS] : old, newRS, now()));
    return {};
  }
  const newRS =
    s.d.spec?.strategy?.type === 'Recreate' ? await recreate(s, old, existing) : await rolling(s, old, existing);
  const all = newRS ? [...old, newRS] : old;
  const status = rolloutStatus(s.d, all, newRS, now());
  await writeStatus(s, status);
  return { requeueAfterMs: untilDeadlineMs(s.d, status, now()) };
}

async function rolling(s: Sync, old: KubeObject[], existing: KubeObject | undefined) {
  const newRS = (await newReplicaSet(s, old, existing, true))!;
  if (await rollingStep(s, newRS, old)) return newRS;
  if (isComplete(s.d, calculateStatus(s.d, [...old, newRS], newRS, s.now()))) await cleanup(s, old);
  return newRS;
}

async function recreate(s: Sync, old: KubeObject[], existing: KubeObject | undefined) {
  let newRS = await newReplicaSet(s, old, existing, false);
  if (await scaleDownAll(s, old)) return newRS;
  if (await oldPodsRunning(s, old)) return newRS;
  newRS ??= (await newReplicaSet(s, old, undefined, true))!;
  await scaleTo(s, newRS, s.d.spec?.replicas ?? 1);
  if (isComplete(s.d, calculateStatus(s.d, [...old, newRS], newRS, s.now()))) await cleanup(s, old);
  return newRS;
}

/** Recreate waits until no pod of an old RS is left that has not finished. */
async function oldPodsRunning(s: Sync, old: KubeObject[]): Promise<boolean> {
  if (sum(old, statusOf('replicas')) > 0) return true;
  const uids = new Set(old.map((rs) => rs.metadata.uid));
  return [...uids].some((uid) =>
    s.listers.pods.ownedBy(uid!).some((pod) => {
      const phase = pod.status?.phase;
      return controllerRefOf(pod)?.uid === uid && phase !== 'Succeeded' && phase !== 'Failed';
    }),
  );
}

/** Adopts orphan RSes the selector matches, releases owned ones it no longer matches; returns those owned. */
async function claimReplicaSets(s: Sync): Promise<KubeObject[]> {
  return claimObjects(s.client, s.d, s.listers.replicaSets.claimable(s.d));
}

/** `checkPausedConditions`: Progressing Unknown with DeploymentPaused / DeploymentResumed. */
async function checkPausedCondition(s: Sync): Promise<void> {
  if (!hasProgressDeadline(s.d)) return;
  const current = getCondition(s.d.status, 'Progressing');
  if (current?.reason === reasons.timedOut) return;
  const pausedShown = current?.reason === reasons.paused;
  const status = structuredClone(s.d.status ?? {});
  if (s.d.spec?.paused && !pausedShown) {
    setCondition(status, condition('Unknown', 'Progressing', reasons.paused, 'Deployment is paused', s.now()));
  } else if (!s.d.spec?.paused && pausedShown) {
    setCondition(status, condition('Unknown', 'Progressing', reasons.resumed, 'Deployment is resumed', s.now()));
  } else return;
  await writeStatus(s, status);
}
