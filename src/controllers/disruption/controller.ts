// The disruption controller: informers on PodDisruptionBudgets and Pods route every change to the budgets that
// select the pod; a work queue runs reconcileDisruptionBudget, re-checking when a recorded eviction times out.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { Informer, keyOf } from '../runtime/informer.js';
import { WorkQueue } from '../runtime/queue.js';
import { budgetSelects, reconcileDisruptionBudget } from './reconcile.js';

export interface DisruptionControllerOptions {
  workers?: number;
  onError?: (error: unknown) => void;
}

export class DisruptionController {
  readonly queue: WorkQueue;
  private budgets: Informer;
  private pods: Informer;

  constructor(client: KubeClient, options: DisruptionControllerOptions = {}) {
    const onError = options.onError ?? ((error) => console.error('disruption controller:', error));
    this.queue = new WorkQueue(
      (key) => {
        const [namespace, name] = key.split('/');
        return reconcileDisruptionBudget(client, namespace, name);
      },
      (_key, error) => onError(error),
      options.workers ?? 5,
    );
    this.budgets = new Informer(
      client,
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
      (old, pdb) => this.queue.add(keyOf((pdb ?? old)!)),
      onError,
    );
    this.pods = new Informer(
      client,
      { apiVersion: 'v1', kind: 'Pod' },
      (old, pod) => this.podChanged(old, pod),
      onError,
    );
  }

  async start(): Promise<void> {
    await this.budgets.start();
    await this.pods.start();
  }

  stop(): void {
    this.budgets.stop();
    this.pods.stop();
    this.queue.stop();
  }

  private podChanged(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    for (const pdb of this.budgets.cache.values()) {
      if ((old && budgetSelects(pdb, old)) || (pod && budgetSelects(pdb, pod))) this.queue.add(keyOf(pdb));
    }
  }
}
