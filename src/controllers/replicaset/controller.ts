// The ReplicaSet controller: watches ReplicaSets and Pods, routing every pod change to the owning (or, for an
// orphan, every matching) ReplicaSet's key; reconcileReplicaSet runs per key with rate-limited retries.

import { Controller, type ControllerOptions } from '../../client/controller.js';
import type { Lister } from '../../client/lister.js';
import type { KubeClient } from '../../kube/client/types.js';
import { reconcileReplicaSet, rsRef } from './reconcile.js';

export type ReplicaSetControllerOptions = ControllerOptions;

export class ReplicaSetController extends Controller {
  private readonly pods: Lister;

  constructor(client: KubeClient, options: ReplicaSetControllerOptions = {}) {
    super(client, 'replicaset controller', options);
    this.pods = this.watchOwned(rsRef, { apiVersion: 'v1', kind: 'Pod' }).dependents.lister;
  }

  protected override reconcile(key: string) {
    return this.reconcileObject(rsRef, key, (rs) => reconcileReplicaSet(this.client, this.pods, rs));
  }
}
