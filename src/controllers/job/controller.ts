// The Job controller: informers on Jobs and Pods route each change to the owning (or, for an orphan, every
// matching) Job's key, and pods left holding the tracking finalizer to an orphan key; a work queue runs
// reconcileJob (or releaseOrphanPod) with rate-limited retries.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { matchesLabels, requirementsOf } from '../../kube/selectors/labels.js';
import { controllerRefOf } from '../runtime/owners.js';
import { Informer, keyOf } from '../runtime/informer.js';
import { WorkQueue } from '../runtime/queue.js';
import { BackoffStore, defaultBackoffMs, maxBackoffMs } from './backoff.js';
import { isJobFinished } from './conditions.js';
import { releaseOrphanPod } from './orphans.js';
import { hasTrackingFinalizer } from './pods.js';
import { reconcileJob } from './reconcile.js';

export interface JobControllerOptions {
  workers?: number;
  onError?: (error: unknown) => void;
  /** The clock (ms since the epoch); tests may inject one. */
  now?: () => number;
  /** First back-off after a failed pod (10 s in Kubernetes); it doubles per failure up to `backoffMaxMs`. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

const orphanPrefix = 'orphan-pod:';

export class JobController {
  readonly queue: WorkQueue;
  private jobs: Informer;
  private pods: Informer;
  private backoffs = new BackoffStore();

  constructor(client: KubeClient, options: JobControllerOptions = {}) {
    const onError = options.onError ?? ((error) => console.error('job controller:', error));
    const sync = {
      now: options.now ?? Date.now,
      backoffs: this.backoffs,
      backoffBaseMs: options.backoffBaseMs ?? defaultBackoffMs,
      backoffMaxMs: options.backoffMaxMs ?? maxBackoffMs,
    };
    this.queue = new WorkQueue(
      async (key) => {
        if (key.startsWith(orphanPrefix)) {
          const [namespace, name] = key.slice(orphanPrefix.length).split('/');
          await releaseOrphanPod(client, namespace, name);
          return {};
        }
        const [namespace, name] = key.split('/');
        return reconcileJob(client, namespace, name, sync);
      },
      (_key, error) => onError(error),
      options.workers ?? 5,
    );
    this.jobs = new Informer(
      client,
      { apiVersion: 'batch/v1', kind: 'Job' },
      (old, job) => this.jobChanged(old, job),
      onError,
    );
    this.pods = new Informer(
      client,
      { apiVersion: 'v1', kind: 'Pod' },
      (old, pod) => this.podChanged(old, pod),
      onError,
    );
  }

  async start(): Promise<void> {
    await this.jobs.start();
    await this.pods.start();
  }

  stop(): void {
    this.jobs.stop();
    this.pods.stop();
    this.queue.stop();
  }

  private jobChanged(old: KubeObject | undefined, job: KubeObject | undefined): void {
    const current = job ?? old!;
    this.queue.add(keyOf(current));
    if (job) return;
    this.backoffs.delete(current.metadata.uid!);
    for (const pod of this.pods.cache.values()) {
      if (controllerRefOf(pod)?.uid === current.metadata.uid && hasTrackingFinalizer(pod)) {
        this.queue.add(orphanPrefix + keyOf(pod));
      }
    }
  }

  private podChanged(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    for (const version of [old, pod]) {
      if (!version) continue;
      const owner = controllerRefOf(version);
      if (owner) {
        if (owner.kind === 'Job' && owner.apiVersion === 'batch/v1') {
          this.queue.add(`${version.metadata.namespace}/${owner.name}`);
        }
      } else if (pod && !pod.metadata.deletionTimestamp) {
        for (const key of this.matchingJobs(version)) this.queue.add(key);
      }
    }
    if (pod && hasTrackingFinalizer(pod) && this.isOrphan(pod)) this.queue.add(orphanPrefix + keyOf(pod));
  }

  private isOrphan(pod: KubeObject): boolean {
    const owner = controllerRefOf(pod);
    if (!owner) return true;
    if (owner.kind !== 'Job' || owner.apiVersion !== 'batch/v1') return false;
    const job = this.jobs.cache.get(`${pod.metadata.namespace}/${owner.name}`);
    return !job || job.metadata.uid !== owner.uid || isJobFinished(job);
  }

  private matchingJobs(pod: KubeObject): string[] {
    const keys: string[] = [];
    for (const [key, job] of this.jobs.cache) {
      if (job.metadata.namespace !== pod.metadata.namespace) continue;
      const selector = requirementsOf(job.spec?.selector);
      if (selector.length > 0 && matchesLabels(selector, pod.metadata.labels)) keys.push(key);
    }
    return keys;
  }
}
