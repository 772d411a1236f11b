// The ReplicaSet controller: watches ReplicaSets and Pods, routing every pod change to the owning (or, for an
// orphan, every matching) ReplicaSet's key; reconcileReplicaSet runs per key with rate-limited retries.

import { Controller, type ControllerOptions, namespacedName } from '../../client/controller.js';
import type { Lister } from '../../client/lister.js';
import { controllerOwnerKeys } from '../../client/owners.js';
import type { KubeClient } from '../../kube/client/types.js';
import { reconcileReplicaSet } from './reconcile.js';

export type ReplicaSetControllerOptions = ControllerOptions;

export class ReplicaSetController extends Controller {
  private readonly pods: Lister;

  constructor(client: KubeClient, options: ReplicaSetControllerOptions = {}) {
    super(client, 'replicaset controller', options);
    const replicaSets = this.watch({ apiVersion: 'apps/v1', kind: 'ReplicaSet' });
    this.pods = this.watch(
      { apiVersion: 'v1', kind: 'Pod' },
      controllerOwnerKeys({ kind: 'ReplicaSet', group: 'apps' }, replicaSets.cache),
    ).lister;
  }

  protected override reconcile(key: string) {
    return reconcileReplicaSet(this.client, this.pods, ...namespacedName(key));
  }
}
