// The HorizontalPodAutoscaler controller: it watches autoscaling/v2 HPAs; each HPA is reconciled when it
// appears or its spec changes, then every sync period (15 s, kube-controller-manager's default) from a work queue.
// Recommendations and scale events are kept in memory per HPA, as Kubernetes keeps them.

import { Controller, type ControllerOptions, namespacedName } from '../../client/controller.js';
import { type Informer, keyOf } from '../../client/informer.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { HpaEvents } from './events.js';
import { ScalingHistory } from './normalize.js';
import { type HpaDeps, HpaSyncError, reconcileHorizontalPodAutoscaler } from './reconcile.js';
import { defaultCalculatorOptions } from './replicas.js';

export interface HorizontalPodAutoscalerControllerOptions extends ControllerOptions {
  /** How often each HPA is synced (default 15 000 ms). */
  syncPeriodMs?: number;
  /** The clock the stabilization windows, scale policies and pod readiness are measured with. */
  now?: () => number;
  /** Usage ratios this close to 1 cause no scaling (default 0.1). */
  tolerance?: number;
  cpuInitializationPeriodMs?: number;
  initialReadinessDelayMs?: number;
  /** Failures an HPA reports in its status and events; unexpected errors go to `onError`. */
  onSyncError?: (error: HpaSyncError) => void;
}

export class HorizontalPodAutoscalerController extends Controller {
  private hpas: Informer;
  private histories = new Map<string, ScalingHistory>();
  private timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;
  private syncPeriodMs: number;
  private deps: HpaDeps;
  private onSyncError: (error: HpaSyncError) => void;

  constructor(client: KubeClient, options: HorizontalPodAutoscalerControllerOptions = {}) {
    super(client, 'horizontal-pod-autoscaler', options);
    this.onSyncError = options.onSyncError ?? (() => {});
    const now = options.now ?? Date.now;
    this.syncPeriodMs = options.syncPeriodMs ?? 15_000;
    const events = new HpaEvents(client, now);
    this.deps = {
      client,
      events,
      now,
      calculator: {
        tolerance: options.tolerance ?? defaultCalculatorOptions.tolerance,
        cpuInitializationPeriodMs:
          options.cpuInitializationPeriodMs ?? defaultCalculatorOptions.cpuInitializationPeriodMs,
        initialReadinessDelayMs: options.initialReadinessDelayMs ?? defaultCalculatorOptions.initialReadinessDelayMs,
      },
      history: (key) => {
        const history = this.histories.get(key) ?? new ScalingHistory();
        this.histories.set(key, history);
        return history;
      },
      forget: (key) => this.forget(key),
    };
    this.hpas = this.watch({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' }, (old, hpa) =>
      this.hpaChanged(old, hpa, events),
    );
  }

  override stop(): void {
    this.stopped = true;
    super.stop();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  protected override async reconcile(key: string) {
    try {
      await reconcileHorizontalPodAutoscaler(this.deps, ...namespacedName(key));
    } catch (error) {
      if (error instanceof HpaSyncError) this.onSyncError(error);
      else this.onError(error);
    }
    if (this.hpas.cache.has(key)) this.scheduleSync(key);
    return {};
  }

  private hpaChanged(old: KubeObject | undefined, hpa: KubeObject | undefined, events: HpaEvents): string[] {
    if (!hpa) {
      this.forget(keyOf(old!));
      events.forget(old!.metadata.uid);
      return [];
    }
    return !old || old.metadata.generation !== hpa.metadata.generation ? [keyOf(hpa)] : [];
  }

  private scheduleSync(key: string): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.queue.add(key);
      }, this.syncPeriodMs),
    );
  }

  private forget(key: string): void {
    this.histories.delete(key);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }
}
