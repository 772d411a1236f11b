// The StatefulSet controller: watches StatefulSets and Pods, routing each pod change to the owning (or, for an
// orphan pod, every matching) StatefulSet's key; reconcileStatefulSet runs per key with retries.

import { Controller, type ControllerOptions } from '../../client/controller.js';
import type { Lister } from '../../client/lister.js';
import type { KubeClient } from '../../kube/client/types.js';
import { reconcileStatefulSet, setRef } from './reconcile.js';

export type StatefulSetControllerOptions = ControllerOptions;

export class StatefulSetController extends Controller {
  private readonly pods: Lister;

  constructor(client: KubeClient, options: StatefulSetControllerOptions = {}) {
    super(client, 'statefulset controller', options);
    this.pods = this.watchOwned(setRef, { apiVersion: 'v1', kind: 'Pod' }).dependents.lister;
  }

  protected override reconcile(key: string) {
    return this.reconcileObject(setRef, key, (set) => reconcileStatefulSet(this.client, this.pods, set));
  }
}
