// The ReplicationController controller (kube-controller-manager's replication manager): a ReplicationController is
// a ReplicaSet whose selector is a label map, so the ReplicaSet reconcile runs for it unchanged.
import { Controller, type ControllerOptions } from '../../client/controller.js';
import type { Lister } from '../../client/lister.js';
import type { KubeClient } from '../../kube/client/types.js';
import { reconcileReplicaSet } from './reconcile.js';

export const rcRef = { apiVersion: 'v1', kind: 'ReplicationController' };

export class ReplicationControllerController extends Controller {
  private readonly pods: Lister;

  constructor(client: KubeClient, options: ControllerOptions = {}) {
    super(client, 'replication controller', options);
    this.pods = this.watchOwned(rcRef, { apiVersion: 'v1', kind: 'Pod' }).dependents.lister;
  }

  protected override reconcile(key: string) {
    return this.reconcileObject(rcRef, key, (rc) =>
      reconcileReplicaSet(this.client, this.pods, rc, Date.now, 'replication-controller'),
    );
  }
}
