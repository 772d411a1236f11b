// In-process fan-out of committed changes to watches. A new watch registers first and buffers live events, replays
// history after its revision, then drains the buffer: every event arrives exactly once, in revision order.
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

export class WatchHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly pending: WatchEvent[] = [];
  private dispatching = false;

  constructor(private readonly readHistory: HistoryReader) {}

  /** Hands a committed change to every watch. Changes published from inside a callback wait their turn. */
  publish(event: WatchEvent): void {
    this.pending.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let i = 0; i < this.pending.length; i++) {
        for (const s of this.subscribers) s.offer(this.pending[i]);
      }
    } finally {
      this.pending.length = 0;
      this.dispatching = false;
    }
  }

  subscribe(prefix: string, afterRevision: number, onEvent: (event: WatchEvent) => void): Watch {
    const subscriber = new Subscriber(prefix, afterRevision, onEvent, (s) => this.subscribers.delete(s));
    this.subscribers.add(subscriber);
    subscriber.catchUp(this.readHistory);
    return subscriber;
  }

  closeAll(): void {
    for (const s of this.subscribers) s.close();
  }

  get size(): number {
    return this.subscribers.size;
  }
}
