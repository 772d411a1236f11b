// The DaemonSet controller: watches DaemonSets, their pods and revisions, routing each change to the owning (or,
// for an orphan, every matching) DaemonSet; a node's arrival, departure or change of labels, taints or
// schedulability wakes every DaemonSet it matters to. reconcileDaemonSet runs per key with retries.
import { isDeepStrictEqual } from 'node:util';
import { Controller, type ControllerOptions, namespacedName } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import { controllerOwnerKeys } from '../../client/owners.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { FailedPodBackoff } from './backoff.js';
import { nodeShouldRunDaemonPod } from './placement.js';
import { type DaemonSetListers, reconcileDaemonSet } from './reconcile.js';

export type DaemonSetControllerOptions = ControllerOptions;

export class DaemonSetController extends Controller {
  private backoff = new FailedPodBackoff();
  private daemonSets: Informer;
  private listers: DaemonSetListers;

  constructor(client: KubeClient, options: DaemonSetControllerOptions = {}) {
    super(client, 'daemonset controller', options, 2);
    this.daemonSets = this.watch({ apiVersion: 'apps/v1', kind: 'DaemonSet' });
    const ownerKeys = controllerOwnerKeys({ kind: 'DaemonSet', group: 'apps' }, this.daemonSets.cache);
    const pods = this.watch({ apiVersion: 'v1', kind: 'Pod' }, ownerKeys);
    this.watch({ apiVersion: 'apps/v1', kind: 'ControllerRevision' }, ownerKeys);
    const nodes = this.watch({ apiVersion: 'v1', kind: 'Node' }, (old, node) => this.nodeChanged(old, node));
    this.listers = { pods: pods.lister, nodes: nodes.lister };
  }

  protected override reconcile(key: string) {
    return reconcileDaemonSet(this.client, this.listers, ...namespacedName(key), this.backoff);
  }

  /** Heartbeats alone change nothing; otherwise each DaemonSet whose decision for the node changed is synced. */
  private *nodeChanged(old: KubeObject | undefined, node: KubeObject | undefined): Generator<string> {
    if (old && node) {
      if (isDeepStrictEqual(schedulingView(old), schedulingView(node))) return;
      for (const [key, ds] of this.daemonSets.cache) {
        if (!isDeepStrictEqual(nodeShouldRunDaemonPod(old, ds), nodeShouldRunDaemonPod(node, ds))) yield key;
      }
      return;
    }
    yield* this.daemonSets.cache.keys();
  }
}

/** What of a node can change a DaemonSet's decision: its name, labels and spec (taints, unschedulable). */
function schedulingView(node: KubeObject) {
  return { name: node.metadata.name, labels: node.metadata.labels ?? {}, spec: node.spec ?? {} };
}
