// Which Fargate profile captures a pod (reference §1.8, §3.2): wildcard selectors over namespace and labels,
// ACTIVE profiles only, alphabetical tie-break, the explicit profile label, the ec2 opt-out, DaemonSet exclusion.

import type { PodShape } from './pod-shape.js';
import type { FargateSelector, ProfileStatus } from './profile-validation.js';

export const profileLabel = 'eks.amazonaws.com/fargate-profile';

import { computeTypeLabel as computeTypeAnnotation } from './naming.js';
import type { Refusal } from './refusal.js';

export { computeTypeAnnotation };

export interface MatchableProfile {
  name: string;
  status: ProfileStatus;
  selectors: FargateSelector[];
}

export type NoMatchReason =
  | 'DaemonSetPod'
  | 'OptedOut'
  | 'NoMatchingProfile'
  | 'ExplicitProfileNotFound'
  | 'ExplicitProfileNotMatching';

export type ProfileChoice = { profile: string } | Refusal<NoMatchReason>;

/** `*` is zero or more characters, `?` exactly one; every other character stands for itself. */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let starText = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || (pattern[p] !== '*' && pattern[p] === text[t]))) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      starText = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++starText;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** The namespace matches and, for every selector label, some pod label matches both key and value. */
export function selectorMatches(selector: FargateSelector, namespace: string, labels: Record<string, string>) {
  if (selector.namespace === undefined || !wildcardMatch(selector.namespace, namespace)) return false;
  const podLabels = Object.entries(labels);
  return Object.entries(selector.labels ?? {}).every(([keyPattern, valuePattern]) =>
    podLabels.some(([key, value]) => wildcardMatch(keyPattern, key) && wildcardMatch(valuePattern, value)),
  );
}

export function profileMatches(profile: MatchableProfile, namespace: string, labels: Record<string, string>) {
  return profile.selectors.some((s) => selectorMatches(s, namespace, labels));
}

const compareNames = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The profile that captures the pod at admission, or why none does. */
export function chooseProfile(pod: PodShape, profiles: MatchableProfile[]): ProfileChoice {
  const meta = pod.metadata ?? {};
  const namespace = meta.namespace ?? 'default';
  const labels = meta.labels ?? {};
  if (meta.ownerReferences?.some((o) => o.kind === 'DaemonSet')) {
    return { reason: 'DaemonSetPod', message: 'DaemonSet pods are not run on Fargate' };
  }
  if (meta.annotations?.[computeTypeAnnotation] === 'ec2') {
    return { reason: 'OptedOut', message: `the pod is annotated ${computeTypeAnnotation}: ec2` };
  }
  const active = profiles.filter((p) => p.status === 'ACTIVE');
  const explicit = labels[profileLabel];
  if (explicit !== undefined) {
    const profile = active.find((p) => p.name === explicit);
    if (!profile) {
      return { reason: 'ExplicitProfileNotFound', message: `Fargate profile ${explicit} is not an ACTIVE profile` };
    }
    if (!profileMatches(profile, namespace, labels)) {
      return {
        reason: 'ExplicitProfileNotMatching',
        message: `the pod matches no selector of Fargate profile ${explicit}`,
      };
    }
    return { profile: explicit };
  }
  const names = active
    .filter((p) => profileMatches(p, namespace, labels))
    .map((p) => p.name)
    .sort(compareNames);
  if (names.length === 0) return { reason: 'NoMatchingProfile', message: 'no Fargate profile matches the pod' };
  return { profile: names[0] };
}
