// The TTL-after-finished controller: watches Jobs and queues those with ttlSecondsAfterFinished once they
// finish; reconcileFinishedJob deletes each when its TTL expires (the garbage collector then removes its pods).

import { Controller, type ControllerOptions, namespacedName } from '../../client/controller.js';
import { keyOf } from '../../client/informer.js';
import type { KubeClient } from '../../kube/client/types.js';
import { expiresAt, reconcileFinishedJob } from './reconcile.js';

export interface TtlAfterFinishedControllerOptions extends ControllerOptions {
  now?: () => number;
}

export class TtlAfterFinishedController extends Controller {
  private now: () => number;

  constructor(client: KubeClient, options: TtlAfterFinishedControllerOptions = {}) {
    super(client, 'ttl-after-finished controller', options);
    this.now = options.now ?? Date.now;
    this.watch({ apiVersion: 'batch/v1', kind: 'Job' }, (_old, job) =>
      job && expiresAt(job) !== undefined ? [keyOf(job)] : [],
    );
  }

  protected override reconcile(key: string) {
    return reconcileFinishedJob(this.client, ...namespacedName(key), this.now);
  }
}
