// The DaemonSet controller: informers on DaemonSets, their pods and revisions route each change to the owning (or,
// for an orphan pod, every matching) DaemonSet; a node's arrival, departure or change of labels, taints or
// schedulability wakes every DaemonSet it matters to. A work queue runs reconcileDaemonSet with retries.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { matchesLabels, requirementsOf } from '../../kube/selectors/labels.js';
import { controllerRefOf } from '../runtime/owners.js';
import { Informer, keyOf } from '../runtime/informer.js';
import { WorkQueue } from '../runtime/queue.js';
import { FailedPodBackoff } from './backoff.js';
import { nodeShouldRunDaemonPod } from './placement.js';
import { reconcileDaemonSet } from './reconcile.js';

export interface DaemonSetControllerOptions {
  workers?: number;
  onError?: (error: unknown) => void;
}

export class DaemonSetController {
  readonly queue: WorkQueue;
  private daemonSets: Informer;
  private pods: Informer;
  private revisions: Informer;
  private nodes: Informer;

  constructor(client: KubeClient, options: DaemonSetControllerOptions = {}) {
    const onError = options.onError ?? ((error) => console.error('daemonset controller:', error));
    const backoff = new FailedPodBackoff();
    this.queue = new WorkQueue(
      (key) => {
        const [namespace, name] = key.split('/');
        return reconcileDaemonSet(client, namespace, name, backoff);
      },
      (_key, error) => onError(error),
      options.workers ?? 2,
    );
    const ref = (apiVersion: string, kind: string) => ({ apiVersion, kind });
    this.daemonSets = new Informer(
      client,
      ref('apps/v1', 'DaemonSet'),
      (o, ds) => this.queue.add(keyOf((ds ?? o)!)),
      onError,
    );
    this.pods = new Informer(client, ref('v1', 'Pod'), (o, pod) => this.dependentChanged(o, pod), onError);
    this.revisions = new Informer(
      client,
      ref('apps/v1', 'ControllerRevision'),
      (o, r) => this.dependentChanged(o, r),
      onError,
    );
    this.nodes = new Informer(client, ref('v1', 'Node'), (o, node) => this.nodeChanged(o, node), onError);
  }

  async start(): Promise<void> {
    await this.daemonSets.start();
    await this.pods.start();
    await this.revisions.start();
    await this.nodes.start();
  }

  stop(): void {
    for (const informer of [this.daemonSets, this.pods, this.revisions, this.nodes]) informer.stop();
    this.queue.stop();
  }

  private dependentChanged(old: KubeObject | undefined, current: KubeObject | undefined): void {
    for (const version of [old, current]) {
      if (!version) continue;
      const owner = controllerRefOf(version);
      if (owner) {
        if (owner.kind === 'DaemonSet' && owner.apiVersion.startsWith('apps/')) {
          this.queue.add(`${version.metadata.namespace}/${owner.name}`);
        }
      } else if (current && !current.metadata.deletionTimestamp) {
        for (const key of this.matchingDaemonSets(version)) this.queue.add(key);
      }
    }
  }

  private matchingDaemonSets(object: KubeObject): string[] {
    const keys: string[] = [];
    for (const [key, ds] of this.daemonSets.cache) {
      if (ds.metadata.namespace !== object.metadata.namespace) continue;
      const selector = requirementsOf(ds.spec?.selector);
      if (selector.length > 0 && matchesLabels(selector, object.metadata.labels)) keys.push(key);
    }
    return keys;
  }

  /** Heartbeats alone change nothing; otherwise each DaemonSet whose decision for the node changed is synced. */
  private nodeChanged(old: KubeObject | undefined, node: KubeObject | undefined): void {
    if (old && node) {
      if (isDeepStrictEqual(schedulingView(old), schedulingView(node))) return;
      for (const [key, ds] of this.daemonSets.cache) {
        if (!isDeepStrictEqual(nodeShouldRunDaemonPod(old, ds), nodeShouldRunDaemonPod(node, ds))) this.queue.add(key);
      }
      return;
    }
    for (const key of this.daemonSets.cache.keys()) this.queue.add(key);
  }
}

/** What of a node can change a DaemonSet's decision: its name, labels and spec (taints, unschedulable). */
function schedulingView(node: KubeObject) {
  return { name: node.metadata.name, labels: node.metadata.labels ?? {}, spec: node.spec ?? {} };
}
