// The StatefulSet controller: watches StatefulSets and Pods, routing each pod change to the owning (or, for an
// orphan pod, every matching) StatefulSet's key; reconcileStatefulSet runs per key with retries.

import { Controller, type ControllerOptions, namespacedName } from '../../client/controller.js';
import type { Lister } from '../../client/lister.js';
import { controllerOwnerKeys } from '../../client/owners.js';
import type { KubeClient } from '../../kube/client/types.js';
import { reconcileStatefulSet } from './reconcile.js';

export type StatefulSetControllerOptions = ControllerOptions;

export class StatefulSetController extends Controller {
  private readonly pods: Lister;

  constructor(client: KubeClient, options: StatefulSetControllerOptions = {}) {
    super(client, 'statefulset controller', options);
    const statefulSets = this.watch({ apiVersion: 'apps/v1', kind: 'StatefulSet' });
    this.pods = this.watch(
      { apiVersion: 'v1', kind: 'Pod' },
      controllerOwnerKeys({ kind: 'StatefulSet', group: 'apps' }, statefulSets.cache),
    ).lister;
  }

  protected override reconcile(key: string) {
    return reconcileStatefulSet(this.client, this.pods, ...namespacedName(key));
  }
}
