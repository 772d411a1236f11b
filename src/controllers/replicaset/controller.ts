// The ReplicaSet controller: informers on ReplicaSets and Pods route every change to the owning (or, for an
// orphan, every matching) ReplicaSet's key; a work queue runs reconcileReplicaSet with rate-limited retries.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { matchesLabels, requirementsOf } from '../../kube/selectors/labels.js';
import { Informer, keyOf } from '../runtime/informer.js';
import { WorkQueue } from '../runtime/queue.js';
import { controllerRefOf } from './pods.js';
import { reconcileReplicaSet } from './reconcile.js';

export interface ReplicaSetControllerOptions {
  workers?: number;
  onError?: (error: unknown) => void;
}

export class ReplicaSetController {
  readonly queue: WorkQueue;
  private replicaSets: Informer;
  private pods: Informer;

  constructor(client: KubeClient, options: ReplicaSetControllerOptions = {}) {
    const onError = options.onError ?? ((error) => console.error('replicaset controller:', error));
    this.queue = new WorkQueue(
      (key) => {
        const [namespace, name] = key.split('/');
        return reconcileReplicaSet(client, namespace, name);
      },
      (_key, error) => onError(error),
      options.workers ?? 5,
    );
    this.replicaSets = new Informer(
      client,
      { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      (old, rs) => this.queue.add(keyOf((rs ?? old)!)),
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
    await this.replicaSets.start();
    await this.pods.start();
  }

  stop(): void {
    this.replicaSets.stop();
    this.pods.stop();
    this.queue.stop();
  }

  private podChanged(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    for (const version of [old, pod]) {
      if (!version) continue;
      const owner = controllerRefOf(version);
      if (owner) {
        if (owner.kind === 'ReplicaSet' && owner.apiVersion.startsWith('apps/')) {
          this.queue.add(`${version.metadata.namespace}/${owner.name}`);
        }
      } else if (pod && !pod.metadata.deletionTimestamp) {
        for (const key of this.matchingReplicaSets(version)) this.queue.add(key);
      }
    }
  }

  private matchingReplicaSets(pod: KubeObject): string[] {
    const keys: string[] = [];
    for (const [key, rs] of this.replicaSets.cache) {
      if (rs.metadata.namespace !== pod.metadata.namespace) continue;
      const selector = requirementsOf(rs.spec?.selector);
      if (selector.length > 0 && matchesLabels(selector, pod.metadata.labels)) keys.push(key);
    }
    return keys;
  }
}
