// The rollout strategies and plain scaling: RollingUpdate (new RS up within maxSurge, old RSes down within
// maxUnavailable), Recreate (old RSes to zero and their pods gone, then the new one up), proportional scaling.
import type { KubeObject } from '../../kube/api/types.js';
import {
  active,
  byCreation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  maxSurge,
  maxUnavailable,
  specReplicas,
  statusOf,
  sum,
} from './replicasets.js';
import { newReplicasFor, type Sync, scaleTo } from './sync.js';

/** One step of a rolling update; true when something was scaled (status is then synced and the step re-run). */
export async function rollingStep(s: Sync, newRS: KubeObject, old: KubeObject[]): Promise<boolean> {
  const all = [...old, newRS];
  const desired = s.d.spec?.replicas ?? 1;
  if (specReplicas(newRS) > desired) return scaleTo(s, newRS, desired);
  if (specReplicas(newRS) < desired && (await scaleTo(s, newRS, newReplicasFor(s.d, all, newRS)))) return true;
  return scaleDownOld(s, all, active(old), newRS);
}

/** `reconcileOldReplicaSets`: first unhealthy old pods, then healthy ones, never below minimum availability. */
async function scaleDownOld(s: Sync, all: KubeObject[], old: KubeObject[], newRS: KubeObject): Promise<boolean> {
  if (sum(old, specReplicas) === 0) return false;
  const minAvailable = (s.d.spec?.replicas ?? 1) - maxUnavailable(s.d);
  const newUnavailable = specReplicas(newRS) - statusOf('availableReplicas')(newRS);
  const maxScaledDown = sum(all, specReplicas) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  let scaled = 0;
  for (const rs of [...old].sort(byCreation)) {
    if (scaled >= maxScaledDown) break;
    const unhealthy = specReplicas(rs) - statusOf('availableReplicas')(rs);
    if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
    const count = Math.min(maxScaledDown - scaled, unhealthy);
    await scaleTo(s, rs, specReplicas(rs) - count);
    scaled += count;
  }
  const available = sum(all, statusOf('availableReplicas'));
  let budget = available - minAvailable;
  for (const rs of [...old].sort(byCreation)) {
    if (budget <= 0) break;
    if (specReplicas(rs) === 0) continue;
    const count = Math.min(specReplicas(rs), budget);
    await scaleTo(s, rs, specReplicas(rs) - count);
    budget -= count;
    scaled += count;
  }
  return scaled > 0;
}

/** Scales every active old RS to zero (Recreate's first phase); true when any was scaled. */
export async function scaleDownAll(s: Sync, old: KubeObject[]): Promise<boolean> {
  let scaled = false;
  for (const rs of active(old)) scaled = (await scaleTo(s, rs, 0)) || scaled;
  return scaled;
}

/** `scale`: follows a change of spec.replicas without a rollout, proportionally across RSes mid-rollout. */
export async function scale(s: Sync, newRS: KubeObject | undefined, old: KubeObject[]): Promise<void> {
  const desired = s.d.spec?.replicas ?? 1;
  const sets = newRS ? [...old, newRS] : [...old];
  const running = active(sets);
  const latest =
    running.length === 1 ? running[0] : running.length === 0 ? (newRS ?? [...old].sort(byCreation).at(-1)) : undefined;
  if (latest || sets.length === 0) {
    if (latest) await scaleTo(s, latest, desired);
    return;
  }
  if (newRS && saturated(s.d, newRS)) {
    for (const rs of active(old)) await scaleTo(s, rs, 0);
    return;
  }
  if (s.d.spec?.strategy?.type === 'Recreate') return;
  const total = sum(running, specReplicas);
  const allowed = desired > 0 ? desired + maxSurge(s.d) : 0;
  const toAdd = allowed - total;
  if (toAdd === 0) return;
  const ordered = [...running].sort(
    (a, b) => (toAdd > 0 ? specReplicas(b) - specReplicas(a) : specReplicas(a) - specReplicas(b)) || byCreation(b, a),
  );
  let added = 0;
  const sizes = new Map<KubeObject, number>();
  for (const rs of ordered) {
    const previousMax = Number(rs.metadata.annotations?.[maxReplicasAnnotation] ?? total) || total;
    let share = Math.round((specReplicas(rs) * allowed) / previousMax) - specReplicas(rs);
    share = toAdd > 0 ? Math.min(share, toAdd - added) : Math.max(share, toAdd - added);
    sizes.set(rs, specReplicas(rs) + share);
    added += share;
  }
  const first = ordered[0];
  sizes.set(first, Math.max(0, sizes.get(first)! + toAdd - added));
  for (const rs of ordered) await scaleTo(s, rs, sizes.get(rs)!);
}

function saturated(d: KubeObject, rs: KubeObject): boolean {
  const desired = d.spec?.replicas ?? 1;
  return (
    rs.metadata.annotations?.[desiredReplicasAnnotation] === String(desired) &&
    specReplicas(rs) === desired &&
    statusOf('availableReplicas')(rs) === desired
  );
}

/** `isScalingEvent`: an active RS was sized for a different spec.replicas than the deployment now asks. */
export function isScalingEvent(d: KubeObject, sets: KubeObject[]): boolean {
  const desired = String(d.spec?.replicas ?? 1);
  return active(sets).some((rs) => {
    const annotated = rs.metadata.annotations?.[desiredReplicasAnnotation];
    return annotated !== undefined && annotated !== desired;
  });
}
