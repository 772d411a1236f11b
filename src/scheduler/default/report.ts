// What default-scheduler writes about a pod: `Warning FailedScheduling` (a repeat of the same message counts up
// on the existing Event, as client-go's correlator does), the PodScheduled=False/Unschedulable condition through
// the status subresource, `Normal Scheduled` after a bind, and `Normal Preempted` on a preemption victim.

import { recordEvent } from '../../client/events.js';
import { ignoreNotFound } from '../../kube/api/errors.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { truncateNote } from './messages.js';

export const component = 'default-scheduler';
const podRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace });
const eventRef = (namespace: string) => ({ apiVersion: 'v1', kind: 'Event', namespace });
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class Reporter {
  /** Pod uid → its last FailedScheduling Event, to count repeats on. */
  private readonly last = new Map<string, { name: string; namespace: string; message: string; count: number }>();

  constructor(
    private readonly client: KubeClient,
    private readonly onError: (error: unknown) => void,
  ) {}

  async unschedulable(pod: KubeObject, message: string): Promise<void> {
    await Promise.all([this.failedSchedulingEvent(pod, truncateNote(message)), this.condition(pod, message)]);
  }

  async scheduled(pod: KubeObject, node: string): Promise<void> {
    this.last.delete(pod.metadata.uid!);
    const { namespace, name } = pod.metadata;
    await this.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`);
  }

  /** Marks a victim (DisruptionTarget), tells it why, and deletes it. */
  async preempted(victim: KubeObject, preemptor: KubeObject, node: string): Promise<void> {
    const { namespace, name } = victim.metadata;
    const condition = {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: `${component}: preempting to accommodate a higher priority pod`,
      lastTransitionTime: now(),
    };
    await this.client
      .patch(podRef(namespace!), name!, { status: { conditions: [condition] } }, 'strategic', { subresource: 'status' })
      .catch(() => undefined);
    await this.event(victim, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata.uid} on node ${node}`);
    await this.client.delete(podRef(namespace!), name!).catch(ignoreNotFound);
  }

  /** Sets status.nominatedNodeName of a pod that preempted room on `node`. */
  async nominate(pod: KubeObject, node: string): Promise<void> {
    if (pod.status?.nominatedNodeName === node) return;
    await this.client.patch(
      podRef(pod.metadata.namespace!),
      pod.metadata.name!,
      { status: { nominatedNodeName: node } },
      'strategic',
      { subresource: 'status' },
    );
  }

  forget(uid: string): void {
    this.last.delete(uid);
  }

  private async failedSchedulingEvent(pod: KubeObject, message: string): Promise<void> {
    const uid = pod.metadata.uid!;
    const last = this.last.get(uid);
    if (last && last.message === message) {
      last.count++;
      const patch = { count: last.count, lastTimestamp: now() };
      const ok = await this.client.patch(eventRef(last.namespace), last.name, patch, 'merge').then(
        () => true,
        () => false,
      );
      if (ok) return;
    }
    try {
      const event = await recordEvent(this.client, component, pod, 'Warning', 'FailedScheduling', message);
      if (event)
        this.last.set(uid, { name: event.metadata.name!, namespace: event.metadata.namespace!, message, count: 1 });
    } catch (error) {
      this.onError(error);
    }
  }

  private async condition(pod: KubeObject, message: string): Promise<void> {
    const current = (pod.status?.conditions ?? []).find((c: any) => c?.type === 'PodScheduled');
    if (current?.status === 'False' && current.reason === 'Unschedulable' && current.message === message) return;
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: current?.status === 'False' ? current.lastTransitionTime : now(),
      reason: 'Unschedulable',
      message,
    };
    await this.client
      .patch(
        podRef(pod.metadata.namespace!),
        pod.metadata.name!,
        { status: { conditions: [condition] } },
        'strategic',
        {
          subresource: 'status',
        },
      )
      .catch((error) => {
        if (error?.code !== 404) this.onError(error);
      });
  }

  private async event(pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    await recordEvent(this.client, component, pod, type, reason, message).catch(this.onError);
  }
}
