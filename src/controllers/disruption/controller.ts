// The disruption controller: watches PodDisruptionBudgets and Pods, routing every pod change to the budgets that
// select the pod; reconcileDisruptionBudget runs per key, re-checking when a recorded eviction times out.

import { Controller, type ControllerOptions, namespacedName, selectingKeys } from '../../client/controller.js';
import type { KubeClient } from '../../kube/client/types.js';
import { budgetSelects, reconcileDisruptionBudget } from './reconcile.js';

export type DisruptionControllerOptions = ControllerOptions;

export class DisruptionController extends Controller {
  constructor(client: KubeClient, options: DisruptionControllerOptions = {}) {
    super(client, 'disruption controller', options);
    const budgets = this.watch({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' });
    this.watch({ apiVersion: 'v1', kind: 'Pod' }, selectingKeys(budgets.cache, budgetSelects));
  }

  protected override reconcile(key: string) {
    return reconcileDisruptionBudget(this.client, ...namespacedName(key));
  }
}
