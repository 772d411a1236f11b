// Reconciles one HorizontalPodAutoscaler (reconcileAutoscaler of Kubernetes 1.32): reads the target's scale
// subresource, computes the replicas its metrics ask for, normalizes them (stabilization, min/max, rate), writes
// the new size through the scale subresource and the status (replicas, metrics, conditions) through /status.
import { isDeepStrictEqual } from 'node:util';
import type { EventType } from '../../client/events.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { type HpaCondition, setCondition, timestamp } from './conditions.js';
import type { HpaEvents } from './events.js';
import { computeReplicasForMetrics } from './metrics.js';
import {
  normalize,
  normalizeWithBehaviors,
  recordInitialRecommendation,
  recordScale,
  type ScalingHistory,
} from './normalize.js';
import type { CalculatorOptions } from './replicas.js';

export interface HpaDeps {
  client: KubeClient;
  events: HpaEvents;
  history(key: string): ScalingHistory;
  forget(key: string, uid?: string): void;
  calculator: Omit<CalculatorOptions, 'now'>;
  now(): number;
}

/** A failure the HPA reports in its status and events (logged by Kubernetes, not a crash). */
export class HpaSyncError extends Error {}

const hpaRef = (namespace: string) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', namespace });

export async function reconcileHorizontalPodAutoscaler(deps: HpaDeps, namespace: string, name: string): Promise<void> {
  const key = `${namespace}/${name}`;
  let hpa: KubeObject;
  try {
    hpa = await deps.client.get(hpaRef(namespace), name);
  } catch (error: any) {
    if (error?.code === 404) return deps.forget(key);
    throw error;
  }
  const now = deps.now();
  const spec = hpa.spec ?? {};
  const original = hpa.status ?? {};
  let conditions: HpaCondition[] = original.conditions ?? [];
  const condition = (type: string, status: HpaCondition['status'], reason: string, message: string) => {
    conditions = setCondition(conditions, type, status, reason, message, now);
  };
  const event = (type: EventType, reason: string, message: string) =>
    deps.events.record(hpa, type, reason, message).catch(() => undefined);
  const writeStatus = async (current: number, desired: number, metrics: any[] | undefined, rescaled: boolean) => {
    const status: Record<string, unknown> = { currentReplicas: current, desiredReplicas: desired };
    const lastScaleTime = rescaled ? timestamp(now) : original.lastScaleTime;
    if (lastScaleTime) status.lastScaleTime = lastScaleTime;
    if (metrics?.length) status.currentMetrics = metrics;
    if (conditions.length) status.conditions = conditions;
    if (isDeepStrictEqual(status, original)) return;
    await deps.client.update({ ...hpa, status }, { subresource: 'status' });
  };

  const target = spec.scaleTargetRef ?? {};
  const reference = `${target.kind}/${namespace}/${target.name}`;
  const targetRef = { apiVersion: target.apiVersion ?? '', kind: target.kind ?? '', namespace };
  let scale: KubeObject;
  try {
    scale = await deps.client.get(targetRef, target.name ?? '', 'scale');
  } catch (error) {
    const message = (error as Error).message;
    await event('Warning', 'FailedGetScale', message);
    condition(
      'AbleToScale',
      'False',
      'FailedGetScale',
      `the HPA controller was unable to get the target's current scale: ${message}`,
    );
    await writeStatus(original.currentReplicas ?? 0, original.desiredReplicas ?? 0, original.currentMetrics, false);
    throw new HpaSyncError(`failed to query scale subresource for ${reference}: ${message}`);
  }
  condition(
    'AbleToScale',
    'True',
    'SucceededGetScale',
    "the HPA controller was able to get the target's current scale",
  );
  const current: number = scale.spec?.replicas ?? 0;
  const history = deps.history(key);
  recordInitialRecommendation(history, current, now);

  const min: number = spec.minReplicas ?? 1;
  const max: number = spec.maxReplicas;
  let desired = 0;
  let reason = '';
  let rescale = true;
  let statuses: any[] | undefined;
  let metricsError: Error | undefined;
  if (current === 0 && min !== 0) {
    rescale = false;
    condition(
      'ScalingActive',
      'False',
      'ScalingDisabled',
      'scaling is disabled since the replica count of the target is zero',
    );
  } else if (current > max) {
    [desired, reason] = [max, 'Current number of replicas above Spec.MaxReplicas'];
  } else if (current < min) {
    [desired, reason] = [min, 'Current number of replicas below Spec.MinReplicas'];
  } else {
    const result = await computeReplicasForMetrics({
      client: deps.client,
      hpa,
      selector: scale.status?.selector,
      specReplicas: current,
      calculator: { ...deps.calculator, now },
      setCondition: condition,
      event,
    });
    statuses = result.statuses;
    if (result.replicas === -1) {
      await writeStatus(current, original.desiredReplicas ?? 0, statuses, false);
      await event('Warning', 'FailedComputeMetricsReplicas', result.error!.message);
      throw new HpaSyncError(
        `failed to compute desired number of replicas based on listed metrics for ${reference}: ${result.error!.message}`,
      );
    }
    metricsError = result.error;
    desired = result.replicas;
    if (desired > current) reason = `${result.metric} above target`;
    if (desired < current) reason = 'All metrics below target';
    const normalized = spec.behavior
      ? normalizeWithBehaviors(history, spec.behavior, current, desired, min, max, now)
      : normalize(history, current, desired, min, max, now);
    condition('AbleToScale', 'True', normalized.ableToScale.reason, normalized.ableToScale.message);
    condition('ScalingLimited', normalized.limited.status, normalized.limited.reason, normalized.limited.message);
    desired = normalized.replicas;
    rescale = desired !== current;
  }

  if (rescale) {
    try {
      await deps.client.patch(targetRef, target.name, { spec: { replicas: desired } }, 'merge', {
        subresource: 'scale',
      });
    } catch (error) {
      const message = (error as Error).message;
      await event('Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${message}`);
      condition(
        'AbleToScale',
        'False',
        'FailedUpdateScale',
        `the HPA controller was unable to update the target scale: ${message}`,
      );
      await writeStatus(current, original.desiredReplicas ?? 0, statuses, false);
      throw new HpaSyncError(`failed to rescale ${reference}: ${message}`);
    }
    condition(
      'AbleToScale',
      'True',
      'SucceededRescale',
      `the HPA controller was able to update the target scale to ${desired}`,
    );
    await event('Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
    recordScale(history, spec.behavior, current, desired, now);
  } else {
    desired = current;
  }
  await writeStatus(current, desired, statuses, rescale);
  if (metricsError) throw new HpaSyncError(metricsError.message);
}
