// The CronJob controller: informers on CronJobs and Jobs route each change to the CronJob (the Job's controller);
// a work queue runs reconcileCronJob, which asks to be run again at the next schedule time. The clock is
// injectable: tests move it and call `resync`.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { controllerRefOf } from '../runtime/owners.js';
import { Informer, keyOf } from '../runtime/informer.js';
import { WorkQueue } from '../runtime/queue.js';
import { reconcileCronJob } from './reconcile.js';

export interface CronJobControllerOptions {
  workers?: number;
  onError?: (error: unknown) => void;
  /** The clock (ms since the epoch). */
  now?: () => number;
}

export class CronJobController {
  readonly queue: WorkQueue;
  private cronJobs: Informer;
  private jobs: Informer;

  constructor(client: KubeClient, options: CronJobControllerOptions = {}) {
    const onError = options.onError ?? ((error) => console.error('cronjob controller:', error));
    const now = options.now ?? Date.now;
    this.queue = new WorkQueue(
      (key) => {
        const [namespace, name] = key.split('/');
        return reconcileCronJob(client, namespace, name, now);
      },
      (_key, error) => onError(error),
      options.workers ?? 5,
    );
    this.cronJobs = new Informer(
      client,
      { apiVersion: 'batch/v1', kind: 'CronJob' },
      (old, cronJob) => this.queue.add(keyOf((cronJob ?? old)!)),
      onError,
    );
    this.jobs = new Informer(
      client,
      { apiVersion: 'batch/v1', kind: 'Job' },
      (old, job) => this.jobChanged(old, job),
      onError,
    );
  }

  async start(): Promise<void> {
    await this.cronJobs.start();
    await this.jobs.start();
  }

  stop(): void {
    this.cronJobs.stop();
    this.jobs.stop();
    this.queue.stop();
  }

  /** Looks at every CronJob again now (after the clock moved). */
  resync(): void {
    for (const key of this.cronJobs.cache.keys()) this.queue.add(key);
  }

  private jobChanged(old: KubeObject | undefined, job: KubeObject | undefined): void {
    for (const version of [old, job]) {
      if (!version) continue;
      const owner = controllerRefOf(version);
      if (owner?.kind === 'CronJob' && owner.apiVersion === 'batch/v1') {
        this.queue.add(`${version.metadata.namespace}/${owner.name}`);
      }
    }
  }
}
