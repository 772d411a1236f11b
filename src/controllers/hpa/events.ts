// The HPA's events, as client-go's recorder keeps them: a repeat of the same reason and message about the same HPA
// bumps the existing Event's count and lastTimestamp ("x5 over 2m" in describe) instead of adding another.

import { type EventType, recordEvent } from '../../client/events.js';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { timestamp } from './conditions.js';

export const component = 'horizontal-pod-autoscaler';

export class HpaEvents {
  private recent = new Map<string, { name: string; namespace: string; count: number }>();

  constructor(
    private client: KubeClient,
    private now: () => number = Date.now,
  ) {}

  async record(hpa: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const key = `${hpa.metadata.uid}\n${type}\n${reason}\n${message}`;
    const seen = this.recent.get(key);
    if (seen) {
      try {
        const ref = { apiVersion: 'v1', kind: 'Event', namespace: seen.namespace };
        await this.client.patch(
          ref,
          seen.name,
          { count: seen.count + 1, lastTimestamp: timestamp(this.now()) },
          'merge',
        );
        seen.count++;
        return;
      } catch {
        this.recent.delete(key);
      }
    }
    const event = await recordEvent(this.client, component, hpa, type, reason, message);
    if (!event) return;
    if (this.recent.size > 1000) this.recent.clear();
    this.recent.set(key, { name: event.metadata.name!, namespace: event.metadata.namespace!, count: 1 });
  }

  /** Forgets an HPA that is gone. */
  forget(uid: string | undefined): void {
    for (const key of this.recent.keys()) if (key.startsWith(`${uid}\n`)) this.recent.delete(key);
  }
}
