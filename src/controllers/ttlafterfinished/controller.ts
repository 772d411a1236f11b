// The TTL-after-finished controller: an informer on Jobs queues those with ttlSecondsAfterFinished once they
// finish; reconcileFinishedJob deletes each when its TTL expires (the garbage collector then removes its pods).
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { Informer, keyOf } from '../runtime/informer.js';
import { WorkQueue } from '../runtime/queue.js';
import { expiresAt, reconcileFinishedJob } from './reconcile.js';

export interface TtlAfterFinishedControllerOptions {
  workers?: number;
  onError?: (error: unknown) => void;
  now?: () => number;
}

export class TtlAfterFinishedController {
  readonly queue: WorkQueue;
  private jobs: Informer;

  constructor(client: KubeClient, options: TtlAfterFinishedControllerOptions = {}) {
    const onError = options.onError ?? ((error) => console.error('ttl-after-finished controller:', error));
    const now = options.now ?? Date.now;
    this.queue = new WorkQueue(
      (key) => {
        const [namespace, name] = key.split('/');
        return reconcileFinishedJob(client, namespace, name, now);
      },
      (_key, error) => onError(error),
      options.workers ?? 5,
    );
    this.jobs = new Informer(
      client,
      { apiVersion: 'batch/v1', kind: 'Job' },
      (_old, job) => this.jobChanged(job),
      onError,
    );
  }

  async start(): Promise<void> {
    await this.jobs.start();
  }

  stop(): void {
    this.jobs.stop();
    this.queue.stop();
  }

  private jobChanged(job: KubeObject | undefined): void {
    if (job && expiresAt(job) !== undefined) this.queue.add(keyOf(job));
  }
}
