// Test stand-in for the scheduler and kubelets when testing controllers against the real API: binds unbound pods
// (by default to the node a `metadata.name In [node]` affinity names), starts bound Pending pods (Running +
// Ready), and finishes graceful deletions of pods on nodes. Tests can also set a pod's phase and readiness.

import { type InformerUse, sharedInformers } from '../client/factory.js';
import { keyOf } from '../client/informer.js';
import { exponentialRetries, WorkQueue } from '../client/queue.js';
import { ignoreNotFoundOrConflict } from '../kube/api/errors.js';
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient } from '../kube/client/types.js';

export interface FakeKubeletOptions {
  /** The node for an unbound pod, or undefined to leave it; default: the node its required affinity names. */
  schedule?: (pod: KubeObject) => string | undefined;
  /** Whether a bound Pending pod starts at once, Running and Ready; default true. */
  autoStart?: (pod: KubeObject) => boolean;
  /** Whether a graceful deletion finishes at once; default true (else call `finishDeletion`). */
  autoFinish?: (pod: KubeObject) => boolean;
}

const podRef = (namespace?: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace });

export function affinityNode(pod: KubeObject): string | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const term of terms ?? []) {
    const field = (term.matchFields ?? []).find((f: any) => f.key === 'metadata.name' && f.operator === 'In');
    if (field?.values?.length === 1) return field.values[0];
  }
  return undefined;
}

export class FakeKubelet {
  private informer: InformerUse;
  private queue: WorkQueue;

  constructor(
    private client: KubeClient,
    private options: FakeKubeletOptions = {},
  ) {
    this.queue = new WorkQueue(
      (key) => this.handle(key),
      () => {},
      { workers: 4, rateLimiter: exponentialRetries(10, 200) },
    );
    this.informer = sharedInformers(client).handle(podRef(), (_old, pod) => pod && this.queue.add(keyOf(pod)));
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): void {
    this.informer.stop();
    this.queue.stop();
  }

  /** Writes a pod's phase and Ready condition as its kubelet would. */
  async setStatus(namespace: string, name: string, state: { phase: string; ready: boolean }): Promise<KubeObject> {
    for (;;) {
      const pod = await this.client.get(podRef(namespace), name);
      try {
        return await this.client.update(withStatus(pod, state.phase, state.ready), { subresource: 'status' });
      } catch (error: any) {
        if (error?.code !== 409) throw error;
      }
    }
  }

  /** Ends a pod's graceful deletion as its kubelet would once the containers stopped. */
  async finishDeletion(namespace: string, name: string): Promise<void> {
    await this.finish(await this.client.get(podRef(namespace), name));
  }

  private async finish(pod: KubeObject): Promise<void> {
    const { namespace, name, uid } = pod.metadata;
    await this.client
      .delete(podRef(namespace), name!, { gracePeriodSeconds: 0, preconditions: { uid } })
      .catch(ignoreNotFoundOrConflict);
  }

  private async handle(key: string): Promise<undefined> {
    const [namespace, name] = key.split('/');
    let pod: KubeObject;
    try {
      pod = await this.client.get(podRef(namespace), name);
    } catch (error: any) {
      if (error?.code === 404) return;
      throw error;
    }
    if (pod.metadata.deletionTimestamp) {
      if (pod.spec?.nodeName && !pod.metadata.finalizers?.length && (this.options.autoFinish?.(pod) ?? true)) {
        await this.finish(pod);
      }
      return;
    }
    if (!pod.spec?.nodeName) {
      const node = (this.options.schedule ?? affinityNode)(pod);
      if (!node) return;
      await this.client.createSubresource(podRef(namespace), name, 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
      return;
    }
    if (pod.status?.phase === 'Pending' && (this.options.autoStart?.(pod) ?? true)) {
      await this.client.update(withStatus(pod, 'Running', true), { subresource: 'status' });
    }
  }
}

function withStatus(pod: KubeObject, phase: string, ready: boolean): KubeObject {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const conditions = (pod.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'Ready');
  const previous = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  const status = ready ? 'True' : 'False';
  const since = previous?.status === status ? previous.lastTransitionTime : now;
  conditions.push({ type: 'Ready', status, lastTransitionTime: since });
  return { ...pod, status: { ...pod.status, phase, conditions } };
}
