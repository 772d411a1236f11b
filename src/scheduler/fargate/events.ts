// The events fargate-scheduler records about a pod: the Logging event once on first sight, FailedScheduling once
// per distinct message, Scheduled after the bind. A failed event write never fails scheduling.
import { recordEvent } from '../../client/events.js';
import { loggingAnnotation, loggingEvent } from '../../fargate/logging-event.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';

export { fargateSchedulerName as component } from '../../fargate/naming.js';

import { fargateSchedulerName as component } from '../../fargate/naming.js';

export class PodEvents {
  private readonly seen = new Set<string>();
  private readonly failures = new Map<string, Set<string>>();

  constructor(
    private readonly client: KubeClient,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** LoggingEnabled / LoggingDisabled, the first time the pod is seen pending. */
  async firstSight(pod: KubeObject): Promise<void> {
    const uid = pod.metadata.uid!;
    if (this.seen.has(uid)) return;
    this.seen.add(uid);
    const event = loggingEvent(pod.metadata.annotations?.[loggingAnnotation]);
    if (event) await this.record(pod, event.type, event.reason, event.message);
  }

  /** Warning FailedScheduling, unless this pod already got this message. */
  async failedScheduling(pod: KubeObject, message: string): Promise<void> {
    const uid = pod.metadata.uid!;
    const sent = this.failures.get(uid) ?? new Set<string>();
    if (sent.has(message)) return;
    sent.add(message);
    this.failures.set(uid, sent);
    await this.record(pod, 'Warning', 'FailedScheduling', message);
  }

  async scheduled(pod: KubeObject, nodeName: string): Promise<void> {
    this.failures.delete(pod.metadata.uid!);
    const { namespace, name } = pod.metadata;
    await this.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${nodeName}`);
  }

  forget(uid: string): void {
    this.seen.delete(uid);
    this.failures.delete(uid);
  }

  private async record(pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) {
    await recordEvent(this.client, component, pod, type, reason, message).catch(this.onError);
  }
}
