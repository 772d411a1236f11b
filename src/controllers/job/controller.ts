// The Job controller: watches Jobs and Pods, routing each pod change to the owning (or, for an orphan, every
// matching) Job's key, and pods left holding the tracking finalizer to an orphan key; reconcileJob (or
// releaseOrphanPod) runs per key with rate-limited retries.

import { Controller, type ControllerOptions, type KeysOf, namespacedName } from '../../client/controller.js';
import { type Informer, keyOf } from '../../client/informer.js';
import { controllerOwnerKeys, controllerRefOf } from '../../client/owners.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { BackoffStore, defaultBackoffMs, maxBackoffMs } from './backoff.js';
import { isJobFinished } from './conditions.js';
import { releaseOrphanPod } from './orphans.js';
import { hasTrackingFinalizer } from './pods.js';
import { type JobSyncOptions, reconcileJob } from './reconcile.js';

export interface JobControllerOptions extends ControllerOptions {
  /** The clock (ms since the epoch); tests may inject one. */
  now?: () => number;
  /** First back-off after a failed pod (10 s in Kubernetes); it doubles per failure up to `backoffMaxMs`. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

const orphanPrefix = 'orphan-pod:';

export class JobController extends Controller {
  private backoffs = new BackoffStore();
  private sync: JobSyncOptions;
  private jobs: Informer;
  private pods: Informer;
  private ownerKeys: KeysOf;

  constructor(client: KubeClient, options: JobControllerOptions = {}) {
    super(client, 'job controller', options);
    this.jobs = this.watch({ apiVersion: 'batch/v1', kind: 'Job' }, (old, job) => this.jobChanged(old, job));
    this.ownerKeys = controllerOwnerKeys({ kind: 'Job', group: 'batch', version: 'v1' }, this.jobs.cache);
    this.pods = this.watch({ apiVersion: 'v1', kind: 'Pod' }, (old, pod) => this.podChanged(old, pod));
    this.sync = {
      pods: this.pods.lister,
      now: options.now ?? Date.now,
      backoffs: this.backoffs,
      backoffBaseMs: options.backoffBaseMs ?? defaultBackoffMs,
      backoffMaxMs: options.backoffMaxMs ?? maxBackoffMs,
    };
  }

  protected override async reconcile(key: string) {
    if (key.startsWith(orphanPrefix)) {
      await releaseOrphanPod(this.client, ...namespacedName(key.slice(orphanPrefix.length)));
      return {};
    }
    return reconcileJob(this.client, ...namespacedName(key), this.sync);
  }

  private *jobChanged(old: KubeObject | undefined, job: KubeObject | undefined): Generator<string> {
    const current = job ?? old!;
    yield keyOf(current);
    if (job) return;
    this.backoffs.delete(current.metadata.uid!);
    for (const pod of this.pods.cache.values()) {
      if (controllerRefOf(pod)?.uid === current.metadata.uid && hasTrackingFinalizer(pod)) {
        yield orphanPrefix + keyOf(pod);
      }
    }
  }

  private *podChanged(old: KubeObject | undefined, pod: KubeObject | undefined): Generator<string> {
    yield* this.ownerKeys(old, pod);
    if (pod && hasTrackingFinalizer(pod) && this.isOrphan(pod)) yield orphanPrefix + keyOf(pod);
  }

  private isOrphan(pod: KubeObject): boolean {
    const owner = controllerRefOf(pod);
    if (!owner) return true;
    if (owner.kind !== 'Job' || owner.apiVersion !== 'batch/v1') return false;
    const job = this.jobs.cache.get(`${pod.metadata.namespace}/${owner.name}`);
    return !job || job.metadata.uid !== owner.uid || isJobFinished(job);
  }
}
