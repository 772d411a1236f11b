// The CronJob controller: watches CronJobs and Jobs, routing each Job change to its CronJob (the Job's
// controller); reconcileCronJob runs per key and asks to be run again at the next schedule time. The clock is
// injectable: tests move it and call `resync`.

import { Controller, type ControllerOptions, namespacedName } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import { controllerOwnerKeys } from '../../client/owners.js';
import type { KubeClient } from '../../kube/client/types.js';
import { reconcileCronJob } from './reconcile.js';

export interface CronJobControllerOptions extends ControllerOptions {
  /** The clock (ms since the epoch). */
  now?: () => number;
}

export class CronJobController extends Controller {
  private now: () => number;
  private cronJobs: Informer;

  constructor(client: KubeClient, options: CronJobControllerOptions = {}) {
    super(client, 'cronjob controller', options);
    this.now = options.now ?? Date.now;
    this.cronJobs = this.watch({ apiVersion: 'batch/v1', kind: 'CronJob' });
    this.watch(
      { apiVersion: 'batch/v1', kind: 'Job' },
      controllerOwnerKeys({ kind: 'CronJob', group: 'batch', version: 'v1' }),
    );
  }

  /** Looks at every CronJob again now (after the clock moved). */
  resync(): void {
    for (const key of this.cronJobs.cache.keys()) this.queue.add(key);
  }

  protected override reconcile(key: string) {
    return reconcileCronJob(this.client, ...namespacedName(key), this.now);
  }
}
