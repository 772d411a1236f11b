// The Deployment controller: watches Deployments, ReplicaSets and Pods, routing each ReplicaSet change to the
// owning (or, for an orphan, every matching) Deployment's key; reconcileDeployment runs per key with retries.

import { Controller, type ControllerOptions } from '../../client/controller.js';
import { controllerRefOf } from '../../client/owners.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { reconcileDeployment } from './reconcile.js';
import { type DeploymentListers, deploymentKind } from './sync.js';

export type DeploymentControllerOptions = ControllerOptions;

export class DeploymentController extends Controller {
  private readonly listers: DeploymentListers;

  constructor(client: KubeClient, options: DeploymentControllerOptions = {}) {
    super(client, 'deployment controller', options);
    const replicaSets = this.watchOwned(deploymentKind, { apiVersion: 'apps/v1', kind: 'ReplicaSet' }).dependents;
    const pods = this.watch({ apiVersion: 'v1', kind: 'Pod' }, (old, pod) =>
      deploymentOfDeletedPod(old, pod, replicaSets.cache),
    );
    this.listers = { replicaSets: replicaSets.lister, pods: pods.lister };
  }

  protected override reconcile(key: string) {
    return this.reconcileObject(deploymentKind, key, (d) => reconcileDeployment(this.client, this.listers, d));
  }
}

/** A Recreate rollout waits for the old pods to be gone, so a pod's deletion wakes its deployment. */
function deploymentOfDeletedPod(
  old: KubeObject | undefined,
  pod: KubeObject | undefined,
  replicaSets: Map<string, KubeObject>,
): string[] {
  if (pod || !old) return [];
  const owner = controllerRefOf(old);
  if (owner?.kind !== 'ReplicaSet') return [];
  const rs = replicaSets.get(`${old.metadata.namespace}/${owner.name}`);
  const deployment = rs && controllerRefOf(rs);
  return deployment?.kind === 'Deployment' ? [`${old.metadata.namespace}/${deployment.name}`] : [];
}
