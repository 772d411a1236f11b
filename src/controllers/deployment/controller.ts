// The Deployment controller: informers on Deployments, ReplicaSets and Pods route each change to the owning (or,
// for an orphan RS, every matching) Deployment's key; a work queue runs reconcileDeployment with retries.
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { matchesLabels, requirementsOf } from '../../kube/selectors/labels.js';
import { controllerRefOf } from '../runtime/owners.js';
import { Informer, keyOf } from '../runtime/informer.js';
import { WorkQueue } from '../runtime/queue.js';
import { reconcileDeployment } from './reconcile.js';

export interface DeploymentControllerOptions {
  workers?: number;
  onError?: (error: unknown) => void;
}

export class DeploymentController {
  readonly queue: WorkQueue;
  private deployments: Informer;
  private replicaSets: Informer;
  private pods: Informer;

  constructor(client: KubeClient, options: DeploymentControllerOptions = {}) {
    const onError = options.onError ?? ((error) => console.error('deployment controller:', error));
    this.queue = new WorkQueue(
      (key) => {
        const [namespace, name] = key.split('/');
        return reconcileDeployment(client, namespace, name);
      },
      (_key, error) => onError(error),
      options.workers ?? 5,
    );
    this.deployments = new Informer(
      client,
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      (old, d) => this.queue.add(keyOf((d ?? old)!)),
      onError,
    );
    this.replicaSets = new Informer(
      client,
      { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      (old, rs) => this.replicaSetChanged(old, rs),
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
    await this.deployments.start();
    await this.replicaSets.start();
    await this.pods.start();
  }

  stop(): void {
    this.deployments.stop();
    this.replicaSets.stop();
    this.pods.stop();
    this.queue.stop();
  }

  private replicaSetChanged(old: KubeObject | undefined, rs: KubeObject | undefined): void {
    for (const version of [old, rs]) {
      if (!version) continue;
      const owner = controllerRefOf(version);
      if (owner) {
        if (owner.kind === 'Deployment') this.queue.add(`${version.metadata.namespace}/${owner.name}`);
      } else if (rs && !rs.metadata.deletionTimestamp) {
        for (const key of this.matchingDeployments(version)) this.queue.add(key);
      }
    }
  }

  /** A Recreate rollout waits for the old pods to be gone, so a pod's deletion wakes its deployment. */
  private podChanged(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    if (pod || !old) return;
    const owner = controllerRefOf(old);
    if (owner?.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.cache.get(`${old.metadata.namespace}/${owner.name}`);
    const deployment = rs && controllerRefOf(rs);
    if (deployment?.kind === 'Deployment') this.queue.add(`${old.metadata.namespace}/${deployment.name}`);
  }

  private matchingDeployments(rs: KubeObject): string[] {
    const keys: string[] = [];
    for (const [key, d] of this.deployments.cache) {
      if (d.metadata.namespace !== rs.metadata.namespace) continue;
      const selector = requirementsOf(d.spec?.selector);
      if (selector.length > 0 && matchesLabels(selector, rs.metadata.labels)) keys.push(key);
    }
    return keys;
  }
}
