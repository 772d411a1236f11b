// Records core/v1 Events about an object the way client-go's recorder names and fills them
// (`<object>.<hex nanoseconds>`, involvedObject, source component, count 1).
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient } from '../kube/client/types.js';

export type EventType = 'Normal' | 'Warning';

let lastNanos = 0n;

function uniqueNanos(): bigint {
  const now = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  lastNanos = now > lastNanos ? now : lastNanos + 1n;
  return lastNanos;
}

export async function recordEvent(
  client: KubeClient,
  component: string,
  object: KubeObject,
  type: EventType,
  reason: string,
  message: string,
): Promise<KubeObject> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const { name, namespace, uid, resourceVersion } = object.metadata;
  return client.create({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.${uniqueNanos().toString(16)}`, namespace: namespace ?? 'default' },
    involvedObject: { apiVersion: object.apiVersion, kind: object.kind, namespace, name, uid, resourceVersion },
    reason,
    message,
    type,
    source: { component },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    reportingComponent: component,
    reportingInstance: '',
  });
}
