// Normalization with an explicit clock: the 5-minute scale-down stabilization, the max(2×, 4) scale-up limit
// without behavior, and spec.behavior's windows, policies, selectPolicy and min/max reasons.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Behavior,
  normalize,
  normalizeWithBehaviors,
  recordInitialRecommendation,
  recordScale,
  ScalingHistory,
} from './normalize.js';

const t0 = 1_000_000_000;
const s = (seconds: number) => t0 + seconds * 1000;

describe('without spec.behavior', () => {
  it('keeps the highest recommendation of the last 5 minutes on the way down', () => {
    const h = new ScalingHistory();
    recordInitialRecommendation(h, 6, s(0));
    const held = normalize(h, 6, 2, 1, 10, s(60));
    assert.equal(held.replicas, 6);
    assert.equal(held.ableToScale.reason, 'ScaleDownStabilized');
    assert.equal(held.limited.reason, 'DesiredWithinRange');
    assert.equal(normalize(h, 6, 2, 1, 10, s(200)).replicas, 6);
    const after = normalize(h, 6, 2, 1, 10, s(301));
    assert.equal(after.replicas, 2);
    assert.equal(after.ableToScale.reason, 'ReadyForNewScale');
  });

  it('scales up at most to max(2×current, 4), then to maxReplicas', () => {
    const h = new ScalingHistory();
    const fast = normalize(h, 2, 20, 1, 10, s(0));
    assert.deepEqual([fast.replicas, fast.limited.status, fast.limited.reason], [4, 'True', 'ScaleUpLimit']);
    const capped = normalize(h, 6, 20, 1, 10, s(15));
    assert.deepEqual([capped.replicas, capped.limited.status, capped.limited.reason], [10, 'True', 'TooManyReplicas']);
    assert.equal(capped.limited.message, 'the desired replica count is more than the maximum replica count');
  });

  it('raises a proposal under minReplicas', () => {
    const r = normalize(new ScalingHistory(), 3, 1, 2, 10, s(0));
    assert.deepEqual([r.replicas, r.limited.reason], [2, 'TooFewReplicas']);
  });
});

describe('with spec.behavior', () => {
  const defaults: Behavior = {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    },
    scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
  };

  it('applies the default 300 s scale-down window when none is set', () => {
    const h = new ScalingHistory();
    recordInitialRecommendation(h, 5, s(0));
    assert.equal(normalizeWithBehaviors(h, defaults, 5, 1, 1, 10, s(100)).replicas, 5);
    assert.equal(normalizeWithBehaviors(h, defaults, 5, 1, 1, 10, s(400)).replicas, 1);
  });

  const windows: [
    what: string,
    behavior: Behavior,
    from: number,
    to: number,
    heldAt: number,
    reason: string,
    at: number,
  ][] = [
    [
      'honours a short scale-down window',
      { ...defaults, scaleDown: { ...defaults.scaleDown, stabilizationWindowSeconds: 10 } },
      5,
      2,
      5,
      'ScaleDownStabilized',
      16,
    ],
    [
      'stabilizes a scale-up over its window, choosing the lowest recent recommendation',
      { ...defaults, scaleUp: { ...defaults.scaleUp, stabilizationWindowSeconds: 60 } },
      2,
      6,
      30,
      'ScaleUpStabilized',
      61,
    ],
  ];
  for (const [what, behavior, from, to, heldAt, reason, releasedAt] of windows) {
    it(what, () => {
      const h = new ScalingHistory();
      recordInitialRecommendation(h, from, s(0));
      const held = normalizeWithBehaviors(h, behavior, from, to, 1, 10, s(heldAt));
      assert.deepEqual([held.replicas, held.ableToScale.reason], [from, reason]);
      assert.equal(normalizeWithBehaviors(h, behavior, from, to, 1, 10, s(releasedAt)).replicas, to);
    });
  }

  it('limits a scale-up by the larger of 4 pods and 100% per 15 s, counting earlier scale-ups', () => {
    const h = new ScalingHistory();
    const first = normalizeWithBehaviors(h, defaults, 1, 20, 1, 50, s(0));
    assert.deepEqual([first.replicas, first.limited.reason], [5, 'ScaleUpLimit']);
    recordScale(h, defaults, 1, 5, s(0));
    assert.equal(normalizeWithBehaviors(h, defaults, 5, 20, 1, 50, s(5)).replicas, 5);
    recordScale(h, defaults, 5, 5, s(5));
    assert.equal(normalizeWithBehaviors(h, defaults, 5, 20, 1, 50, s(16)).replicas, 10);
  });

  it('takes the smallest change with selectPolicy Min and none with Disabled', () => {
    const min: Behavior = { ...defaults, scaleUp: { ...defaults.scaleUp, selectPolicy: 'Min' } };
    assert.equal(normalizeWithBehaviors(new ScalingHistory(), min, 10, 40, 1, 50, s(0)).replicas, 14);
    const off: Behavior = { ...defaults, scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled' } };
    const r = normalizeWithBehaviors(new ScalingHistory(), off, 10, 2, 1, 50, s(0));
    assert.deepEqual([r.replicas, r.limited.reason], [10, 'ScaleDownLimit']);
  });

  it('limits a scale-down by a Pods policy and says so', () => {
    const behavior: Behavior = {
      ...defaults,
      scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
    };
    const h = new ScalingHistory();
    const r = normalizeWithBehaviors(h, behavior, 10, 1, 1, 50, s(0));
    assert.deepEqual([r.replicas, r.limited.status, r.limited.reason], [8, 'True', 'ScaleDownLimit']);
    recordScale(h, behavior, 10, 8, s(0));
    assert.equal(normalizeWithBehaviors(h, behavior, 8, 1, 1, 50, s(30)).replicas, 8);
    assert.equal(normalizeWithBehaviors(h, behavior, 8, 1, 1, 50, s(61)).replicas, 6);
  });

  it('reports maxReplicas as the limit when the policies would allow more', () => {
    const r = normalizeWithBehaviors(new ScalingHistory(), defaults, 4, 9, 1, 6, s(0));
    assert.deepEqual([r.replicas, r.limited.reason], [6, 'TooManyReplicas']);
  });
});
