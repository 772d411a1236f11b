// In-process fan-out of committed changes to watches. A new watch registers first and buffers live events, replays
// history after its revision, then drains the buffer: every event arrives exactly once, in revision order. Watches
// are filed by the first three segments of their prefix (`/registry/core/pods/`), so a change is offered only to
// the watches of its resource, and to those whose prefix is shorter than that.
import { type HistoryRow, toEvent } from './log.js';
import type { Watch, WatchEvent } from './types.js';

export type HistoryReader = (prefix: string, afterRevision: number, limit: number) => HistoryRow[];

const replayPage = 1000;

class Subscriber implements Watch {
  closed = false;
  /** Live events that arrived while history was replaying; undefined once the watch is live. */
  private backlog: WatchEvent[] | undefined = [];

  constructor(
    readonly prefix: string,
    private delivered: number,
    private readonly onEvent: (event: WatchEvent) => void,
    private readonly unregister: (s: Subscriber) => void,
  ) {}

  offer(event: WatchEvent): void {
    if (this.closed || event.kv.modRevision <= this.delivered || !event.kv.key.startsWith(this.prefix)) return;
    if (this.backlog) this.backlog.push(event);
    else this.deliver(event);
  }

  /** Replays history from the log, then the live events that came in meanwhile, skipping what was delivered. */
  catchUp(readHistory: HistoryReader): void {
    for (;;) {
      const page = readHistory(this.prefix, this.delivered, replayPage);
      for (const row of page) this.deliver(toEvent(row));
      if (this.closed || page.length < replayPage) break;
    }
    const backlog = this.backlog!;
    for (let i = 0; i < backlog.length && !this.closed; i++) this.deliver(backlog[i]);
    this.backlog = undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.backlog = undefined;
    this.unregister(this);
  }

  private deliver(event: WatchEvent): void {
    if (this.closed || event.kv.modRevision <= this.delivered) return;
    this.delivered = event.kv.modRevision;
    try {
      this.onEvent(event);
    } catch (err) {
      this.close();
      process.emitWarning(`store watch on ${JSON.stringify(this.prefix)} closed: its callback threw: ${err}`);
    }
  }
}

/** The first three segments of a key or prefix (`/registry/core/pods/`), or '' when it has fewer. */
function bucketOf(keyOrPrefix: string): string {
  let end = 0;
  for (let i = 0; i < 4; i++) {
    end = keyOrPrefix.indexOf('/', end) + 1;
    if (end === 0) return '';
  }
  return keyOrPrefix.slice(0, end);
}

export class WatchHub {
  /** Watches whose prefix spans three segments or more, by those three. */
  private readonly byBucket = new Map<string, Set<Subscriber>>();
  /** Watches with a shorter prefix: offered every change. */
  private readonly broad = new Set<Subscriber>();
  private readonly pending: WatchEvent[] = [];
  private dispatching = false;

  constructor(private readonly readHistory: HistoryReader) {}

  /** Hands a committed change to every watch of its key. Changes published from inside a callback wait their turn. */
  publish(event: WatchEvent): void {
    this.pending.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let i = 0; i < this.pending.length; i++) {
        const change = this.pending[i];
        for (const s of this.broad) s.offer(change);
        const bucket = this.byBucket.get(bucketOf(change.kv.key));
        if (bucket) for (const s of bucket) s.offer(change);
      }
    } finally {
      this.pending.length = 0;
      this.dispatching = false;
    }
  }

  subscribe(prefix: string, afterRevision: number, onEvent: (event: WatchEvent) => void): Watch {
    const key = bucketOf(prefix);
    const filed = this.filing(key);
    const subscriber = new Subscriber(prefix, afterRevision, onEvent, (s) => {
      filed.delete(s);
      if (key && filed.size === 0) this.byBucket.delete(key);
    });
    filed.add(subscriber);
    subscriber.catchUp(this.readHistory);
    return subscriber;
  }

  /** The set a watch of this bucket is filed in: its resource's, or the broad ones for ''. */
  private filing(key: string): Set<Subscriber> {
    if (!key) return this.broad;
    let bucket = this.byBucket.get(key);
    if (!bucket) {
      bucket = new Set();
      this.byBucket.set(key, bucket);
    }
    return bucket;
  }

  closeAll(): void {
    for (const s of this.broad) s.close();
    for (const bucket of [...this.byBucket.values()]) for (const s of bucket) s.close();
  }

  get size(): number {
    let size = this.broad.size;
    for (const bucket of this.byBucket.values()) size += bucket.size;
    return size;
  }
}
