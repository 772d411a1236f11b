// The StatefulSet controller: informers on StatefulSets and Pods route each change to the owning (or, for an
// orphan pod, every matching) StatefulSet's key; a work queue runs reconcileStatefulSet with retries.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { matchesLabels, requirementsOf } from '../../kube/selectors/labels.js';
import { controllerRefOf } from '../runtime/owners.js';
import { Informer, keyOf } from '../runtime/informer.js';
import { WorkQueue } from '../runtime/queue.js';
import { reconcileStatefulSet } from './reconcile.js';

export interface StatefulSetControllerOptions {
  workers?: number;
  onError?: (error: unknown) => void;
}

export class StatefulSetController {
  readonly queue: WorkQueue;
  private statefulSets: Informer;
  private pods: Informer;

  constructor(client: KubeClient, options: StatefulSetControllerOptions = {}) {
    const onError = options.onError ?? ((error) => console.error('statefulset controller:', error));
    this.queue = new WorkQueue(
      (key) => {
        const [namespace, name] = key.split('/');
        return reconcileStatefulSet(client, namespace, name);
      },
      (_key, error) => onError(error),
      options.workers ?? 5,
    );
    this.statefulSets = new Informer(
      client,
      { apiVersion: 'apps/v1', kind: 'StatefulSet' },
      (old, set) => this.queue.add(keyOf((set ?? old)!)),
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
    await this.statefulSets.start();
    await this.pods.start();
  }

  stop(): void {
    this.statefulSets.stop();
    this.pods.stop();
    this.queue.stop();
  }

  private podChanged(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    for (const version of [old, pod]) {
      if (!version) continue;
      const owner = controllerRefOf(version);
      if (owner) {
        if (owner.kind === 'StatefulSet' && owner.apiVersion.startsWith('apps/')) {
          this.queue.add(`${version.metadata.namespace}/${owner.name}`);
        }
      } else if (pod && !pod.metadata.deletionTimestamp) {
        for (const key of this.matchingStatefulSets(version)) this.queue.add(key);
      }
    }
  }

  private matchingStatefulSets(pod: KubeObject): string[] {
    const keys: string[] = [];
    for (const [key, set] of this.statefulSets.cache) {
      if (set.metadata.namespace !== pod.metadata.namespace) continue;
      const selector = requirementsOf(set.spec?.selector);
      if (selector.length > 0 && matchesLabels(selector, pod.metadata.labels)) keys.push(key);
    }
    return keys;
  }
}
