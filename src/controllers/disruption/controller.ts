// The disruption controller: watches PodDisruptionBudgets and Pods, routing every pod change to the budgets that
// select the pod; reconcileDisruptionBudget runs per key, re-checking when a recorded eviction times out.

import { Controller, type ControllerOptions, selectingKeys } from '../../client/controller.js';
import type { Lister } from '../../client/lister.js';
import type { KubeClient } from '../../kube/client/types.js';
import { budgetSelects, pdbRef, reconcileDisruptionBudget } from './reconcile.js';

export type DisruptionControllerOptions = ControllerOptions;

export class DisruptionController extends Controller {
  private readonly pods: Lister;

  constructor(client: KubeClient, options: DisruptionControllerOptions = {}) {
    super(client, 'disruption controller', options);
    const budgets = this.watch(pdbRef);
    this.pods = this.watch({ apiVersion: 'v1', kind: 'Pod' }, selectingKeys(budgets.cache, budgetSelects)).lister;
  }

  protected override reconcile(key: string) {
    return this.reconcileObject(pdbRef, key, (pdb) => reconcileDisruptionBudget(this.client, this.pods, pdb));
  }
}
