// From the metrics' proposal to the replica count the HPA sets, as Kubernetes normalizes it: stabilization over
// recent recommendations (scale-down window 300 s unless spec.behavior says otherwise), then min/max and the
// scale rate — without spec.behavior at most max(2×, 4) per sync; with it, the policies over their periods.
// The reasons and messages are the AbleToScale and ScalingLimited conditions' own.

interface Recommendation {
  replicas: number;
  at: number;
}

interface ScaleEvent {
  change: number;
  at: number;
}

/** What the controller remembers about one HPA between syncs (in memory, as kube-controller-manager does). */
export class ScalingHistory {
  recommendations: Recommendation[] = [];
  scaleUp: ScaleEvent[] = [];
  scaleDown: ScaleEvent[] = [];
}

interface Policy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

interface Rules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: Policy[];
}

export interface Behavior {
  scaleUp?: Rules;
  scaleDown?: Rules;
}

export interface Normalized {
  replicas: number;
  ableToScale: { reason: string; message: string };
  limited: { status: 'True' | 'False'; reason: string; message: string };
}

export const downscaleStabilizationMs = 300_000;

const defaultScaleUp: Rules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const defaultScaleDown: Rules = {
  stabilizationWindowSeconds: downscaleStabilizationMs / 1000,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

const rulesOf = (rules: Rules | undefined, defaults: Rules): Required<Rules> => ({
  stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds!,
  selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy!,
  policies: rules?.policies ?? defaults.policies!,
});

/** The AbleToScale and ScalingLimited conditions' reasons and their messages. */
const messages = {
  ReadyForNewScale: 'recommended size matches current size',
  DesiredWithinRange: 'the desired count is within the acceptable range',
  TooFewReplicas: 'the desired replica count is less than the minimum replica count',
  TooManyReplicas: 'the desired replica count is more than the maximum replica count',
  ScaleUpLimit: 'the desired replica count is increasing faster than the maximum scale rate',
  ScaleDownLimit: 'the desired replica count is decreasing faster than the maximum scale rate',
  ScaleDownStabilized:
    'recent recommendations were higher than current one, applying the highest recent recommendation',
  ScaleUpStabilized: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
} as const;
type Reason = keyof typeof messages;
const because = (reason: Reason) => ({ reason, message: messages[reason] });

/** The first recommendation of an HPA is the target's current size. */
export function recordInitialRecommendation(history: ScalingHistory, current: number, now: number): void {
  if (history.recommendations.length === 0) history.recommendations.push({ replicas: current, at: now });
}

/** Remembers `replicas` as this sync's recommendation, reusing the slot of one older than every window. */
function remember(history: ScalingHistory, replicas: number, now: number, oldest: number): void {
  const old = history.recommendations.findLastIndex((r) => r.at < oldest);
  if (old >= 0) history.recommendations[old] = { replicas, at: now };
  else history.recommendations.push({ replicas, at: now });
}

function limited(replicas: number, stabilized: number, reason: Reason) {
  const status = replicas === stabilized ? 'False' : 'True';
  return { replicas, limited: { status, ...because(reason) } as Normalized['limited'] };
}

/** Without spec.behavior: the highest recommendation of the last 5 minutes, then min, max and max(2×, 4). */
export function normalize(h: ScalingHistory, current: number, desired: number, min: number, max: number, now: number) {
  const cutoff = now - downscaleStabilizationMs;
  let stabilized = desired;
  for (const r of h.recommendations) if (r.at >= cutoff && r.replicas > stabilized) stabilized = r.replicas;
  remember(h, desired, now, cutoff);
  const ableToScale = because(stabilized !== desired ? 'ScaleDownStabilized' : 'ReadyForNewScale');
  const scaleUpLimit = Math.max(2 * current, 4);
  const [ceiling, why]: [number, Reason] =
    max > scaleUpLimit ? [scaleUpLimit, 'ScaleUpLimit'] : [max, 'TooManyReplicas'];
  let result: ReturnType<typeof limited>;
  if (stabilized < min) result = limited(min, stabilized, 'TooFewReplicas');
  else if (stabilized > ceiling) result = limited(ceiling, stabilized, why);
  else result = limited(stabilized, stabilized, 'DesiredWithinRange');
  return { ...result, ableToScale } as Normalized;
}

const changeWithin = (events: ScaleEvent[], periodSeconds: number, now: number) =>
  events.filter((e) => e.at > now - periodSeconds * 1000).reduce((sum, e) => sum + e.change, 0);

function rateLimit(h: ScalingHistory, current: number, rules: Required<Rules>, up: boolean, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  // Max picks the policy allowing the biggest change: the highest count up, the lowest down; Min the opposite.
  const useMax = up ? rules.selectPolicy !== 'Min' : rules.selectPolicy === 'Min';
  let result = useMax ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const policy of rules.policies) {
    const start =
      current -
      changeWithin(h.scaleUp, policy.periodSeconds, now) +
      changeWithin(h.scaleDown, policy.periodSeconds, now);
    let proposed: number;
    if (up) proposed = policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    else proposed = policy.type === 'Pods' ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
    result = useMax ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** With spec.behavior: stabilize within both windows, then the min/max and the scale-up/down policies. */
export function normalizeWithBehaviors(
  h: ScalingHistory,
  behavior: Behavior,
  current: number,
  desired: number,
  min: number,
  max: number,
  now: number,
): Normalized {
  const upRules = rulesOf(behavior.scaleUp, defaultScaleUp);
  const downRules = rulesOf(behavior.scaleDown, defaultScaleDown);
  const upCutoff = now - upRules.stabilizationWindowSeconds * 1000;
  const downCutoff = now - downRules.stabilizationWindowSeconds * 1000;
  let upRecommendation = desired;
  let downRecommendation = desired;
  for (const r of h.recommendations) {
    if (r.at > upCutoff) upRecommendation = Math.min(r.replicas, upRecommendation);
    if (r.at > downCutoff) downRecommendation = Math.max(r.replicas, downRecommendation);
  }
  const stabilized = Math.min(Math.max(current, upRecommendation), downRecommendation);
  remember(h, desired, now, Math.min(upCutoff, downCutoff));
  const ableToScale = because(
    stabilized === desired ? 'ReadyForNewScale' : desired >= current ? 'ScaleUpStabilized' : 'ScaleDownStabilized',
  );

  if (stabilized > current) {
    const limit = Math.max(rateLimit(h, current, upRules, true, now), current);
    const [ceiling, why]: [number, Reason] = max > limit ? [limit, 'ScaleUpLimit'] : [max, 'TooManyReplicas'];
    if (stabilized > ceiling) return { ...limited(ceiling, stabilized, why), ableToScale };
  } else if (stabilized < current) {
    const limit = Math.min(rateLimit(h, current, downRules, false, now), current);
    const [floor, why]: [number, Reason] = min < limit ? [limit, 'ScaleDownLimit'] : [min, 'TooFewReplicas'];
    if (stabilized < floor) return { ...limited(floor, stabilized, why), ableToScale };
  }
  return { ...limited(stabilized, stabilized, 'DesiredWithinRange'), ableToScale };
}

/** Records a rescale for the policies' periods; events older than the longest period are dropped. */
export function recordScale(h: ScalingHistory, behavior: Behavior | undefined, from: number, to: number, now: number) {
  if (!behavior || from === to) return;
  const up = to > from;
  const rules = up ? rulesOf(behavior.scaleUp, defaultScaleUp) : rulesOf(behavior.scaleDown, defaultScaleDown);
  const longest = Math.max(0, ...rules.policies.map((p) => p.periodSeconds)) * 1000;
  const events = (up ? h.scaleUp : h.scaleDown).filter((e) => e.at > now - longest);
  events.push({ change: Math.abs(to - from), at: now });
  if (up) h.scaleUp = events;
  else h.scaleDown = events;
}
