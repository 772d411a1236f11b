// The HorizontalPodAutoscaler controller: an informer on autoscaling/v2 HPAs; each HPA is reconciled when it
// appears or its spec changes, then every sync period (15 s, kube-controller-manager's default) from a work queue.
// Recommendations and scale events are kept in memory per HPA, as Kubernetes keeps them.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { Informer, keyOf } from '../runtime/informer.js';
import { WorkQueue } from '../runtime/queue.js';
import { HpaEvents } from './events.js';
import { ScalingHistory } from './normalize.js';
import { type HpaDeps, HpaSyncError, reconcileHorizontalPodAutoscaler } from './reconcile.js';
import { defaultCalculatorOptions } from './replicas.js';

export interface HorizontalPodAutoscalerControllerOptions {
  /** How often each HPA is synced (default 15 000 ms). */
  syncPeriodMs?: number;
  workers?: number;
  /** The clock the stabilization windows, scale policies and pod readiness are measured with. */
  now?: () => number;
  /** Usage ratios this close to 1 cause no scaling (default 0.1). */
  tolerance?: number;
  cpuInitializationPeriodMs?: number;
  initialReadinessDelayMs?: number;
  /** Unexpected errors; failures an HPA reports in its status and events go to `onSyncError`. */
  onError?: (error: unknown) => void;
  onSyncError?: (error: HpaSyncError) => void;
}

export class HorizontalPodAutoscalerController {
  readonly queue: WorkQueue;
  private hpas: Informer;
  private histories = new Map<string, ScalingHistory>();
  private timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;
  private syncPeriodMs: number;

  constructor(client: KubeClient, options: HorizontalPodAutoscalerControllerOptions = {}) {
    const onError = options.onError ?? ((error) => console.error('horizontal-pod-autoscaler:', error));
    const onSyncError = options.onSyncError ?? (() => {});
    const now = options.now ?? Date.now;
    this.syncPeriodMs = options.syncPeriodMs ?? 15_000;
    const events = new HpaEvents(client, now);
    const deps: HpaDeps = {
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
    this.queue = new WorkQueue(
      async (key) => {
        const [namespace, name] = key.split('/');
        try {
          await reconcileHorizontalPodAutoscaler(deps, namespace, name);
        } catch (error) {
          if (error instanceof HpaSyncError) onSyncError(error);
          else onError(error);
        }
        if (this.hpas.cache.has(key)) this.scheduleSync(key);
        return {};
      },
      (_key, error) => onError(error),
      options.workers ?? 5,
    );
    this.hpas = new Informer(
      client,
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
      (old, hpa) => this.hpaChanged(old, hpa, events),
      onError,
    );
  }

  async start(): Promise<void> {
    await this.hpas.start();
  }

  stop(): void {
    this.stopped = true;
    this.hpas.stop();
    this.queue.stop();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private hpaChanged(old: KubeObject | undefined, hpa: KubeObject | undefined, events: HpaEvents): void {
    if (!hpa) {
      this.forget(keyOf(old!));
      events.forget(old!.metadata.uid);
      return;
    }
    if (!old || old.metadata.generation !== hpa.metadata.generation) this.queue.add(keyOf(hpa));
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
