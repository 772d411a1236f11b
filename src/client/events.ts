// Records core/v1 Events about an object the way client-go's recorder names and fills them
// (`<object>.<hex nanoseconds>`, involvedObject, source component) and correlates them as its EventCorrelator does
// (tools/record/events_cache.go), so that one object's repeated trouble is a few Events with counts rather than a
// flood: a repeat of the same event bumps the existing one's `count` and `lastTimestamp`; more than 10 events in 10
// minutes that differ only by message become one "(combined from similar events): …" event; and each source and
// object may record 25 events at once, then one every 5 minutes (the spam filter's token bucket); what it refuses
// is dropped, as client-go drops it.
import type { KubeObject } from '../kube/api/types.js';
import type { KubeClient } from '../kube/client/types.js';

export type EventType = 'Normal' | 'Warning';

const maxCacheEntries = 4096;
const aggregateMaxEvents = 10;
const aggregateIntervalMs = 600_000;
const spamBurst = 25;
const spamPerSecond = 1 / 300;
export const combinedPrefix = '(combined from similar events): ';

let lastNanos = 0n;

function uniqueNanos(): bigint {
  const now = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  lastNanos = now > lastNanos ? now : lastNanos + 1n;
  return lastNanos;
}

const apiTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** An LRU cache of at most `maxCacheEntries` (groupcache/lru's role). */
class Lru<T> {
  private entries = new Map<string, T>();

  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > maxCacheEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

interface Logged {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  /** The create (or the last patch) of this event: the next write waits for it. */
  written: Promise<KubeObject | undefined>;
}

/** The event as the recorder would write it, before correlation. */
export interface EventDraft {
  component: string;
  object: KubeObject;
  type: EventType;
  reason: string;
  message: string;
}

function objectKey({ component, object }: EventDraft): string {
  const { name, namespace, uid } = object.metadata;
  return [component, object.kind, namespace, name, uid, object.apiVersion].join('\n');
}

export class EventCorrelator {
  private spam = new Lru<{ tokens: number; last: number }>();
  private aggregates = new Lru<{ messages: Set<string>; last: number }>();
  private logged = new Lru<Logged>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * What to write for `draft`: undefined when the spam filter drops it; else the event's key in the log of
   * written events, and the message (the combined one once similar events are aggregated).
   */
  correlate(draft: EventDraft): { key: string; message: string } | undefined {
    const now = this.now();
    const base = objectKey(draft);
    const bucket = this.spam.get(base) ?? { tokens: spamBurst, last: now };
    bucket.tokens = Math.min(spamBurst, bucket.tokens + ((now - bucket.last) / 1000) * spamPerSecond);
    bucket.last = now;
    this.spam.set(base, bucket);
    if (bucket.tokens < 1) return undefined;
    bucket.tokens -= 1;

    const aggregateKey = [base, draft.type, draft.reason].join('\n');
    let aggregate = this.aggregates.get(aggregateKey);
    if (!aggregate || now - aggregate.last > aggregateIntervalMs) aggregate = { messages: new Set(), last: now };
    aggregate.messages.add(draft.message);
    aggregate.last = now;
    this.aggregates.set(aggregateKey, aggregate);
    if (aggregate.messages.size < aggregateMaxEvents)
      return { key: [aggregateKey, draft.message].join('\n'), message: draft.message };
    return { key: aggregateKey, message: `${combinedPrefix}${draft.message}` };
  }

  logOf(key: string): Logged | undefined {
    return this.logged.get(key);
  }

  remember(key: string, logged: Logged): void {
    this.logged.set(key, logged);
  }

  forgetLog(key: string): void {
    this.logged.delete(key);
  }
}

/** One correlator per client, as client-go keeps one per broadcaster. */
const correlators = new WeakMap<KubeClient, EventCorrelator>();

export function correlatorOf(client: KubeClient): EventCorrelator {
  let correlator = correlators.get(client);
  if (!correlator) {
    correlator = new EventCorrelator();
    correlators.set(client, correlator);
  }
  return correlator;
}

/**
 * Records the event, or counts it into the one already written for the same object, reason and message. Resolves
 * to the Event as written, or undefined when the spam filter dropped it.
 */
export async function recordEvent(
  client: KubeClient,
  component: string,
  object: KubeObject,
  type: EventType,
  reason: string,
  message: string,
): Promise<KubeObject | undefined> {
  const correlator = correlatorOf(client);
  const correlated = correlator.correlate({ component, object, type, reason, message });
  if (!correlated) return undefined;
  const now = apiTime(Date.now());
  const seen = correlator.logOf(correlated.key);
  if (seen) {
    seen.count++;
    const count = seen.count;
    const patch = { count, lastTimestamp: now, message: correlated.message };
    const previous = seen.written;
    seen.written = previous
      .catch(() => undefined)
      .then(() =>
        client.patch({ apiVersion: 'v1', kind: 'Event', namespace: seen.namespace }, seen.name, patch, 'merge'),
      )
      .catch((error) => {
        // Gone (expired or deleted): written anew below, as client-go creates it again after a failed patch.
        if (error?.code !== 404) throw error;
        correlator.forgetLog(correlated.key);
        return undefined;
      });
    const patched = await seen.written;
    if (patched) return patched;
  }
  const { name, namespace, uid, resourceVersion } = object.metadata;
  const event: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.${uniqueNanos().toString(16)}`, namespace: namespace ?? 'default' },
    involvedObject: { apiVersion: object.apiVersion, kind: object.kind, namespace, name, uid, resourceVersion },
    reason,
    message: correlated.message,
    type,
    source: { component },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    reportingComponent: component,
    reportingInstance: '',
  };
  const written = client.create(event);
  correlator.remember(correlated.key, {
    name: event.metadata.name!,
    namespace: event.metadata.namespace!,
    count: 1,
    firstTimestamp: now,
    written,
  });
  try {
    return await written;
  } catch (error) {
    correlator.forgetLog(correlated.key);
    throw error;
  }
}
