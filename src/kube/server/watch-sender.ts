// Writes a watch's events to its HTTP response with back-pressure, as kube-apiserver's cacheWatcher does: while the
// socket takes them they go straight out; while it is full they wait in a bounded buffer; a watcher whose buffer
// overflows is cut off — the watch ends, the client watches again from the last resourceVersion it saw (or lists
// again when that is compacted) — so a slow client costs neither unbounded memory nor the writers' time.
import type { EventEmitter } from 'node:events';

/** Events a slow watcher may have waiting before it is cut off. */
export const maxPendingWatchEvents = 1000;

/** How long an ended watch may take to flush before its connection is dropped. */
const flushGraceMs = 10_000;

/** The part of a ServerResponse the sender uses. */
export interface WatchResponse extends EventEmitter {
  write(chunk: string): boolean;
  end(): unknown;
  destroy(): unknown;
  readonly writableNeedDrain: boolean;
  readonly writableEnded: boolean;
}

export class WatchSender {
  private pending: string[] = [];
  private cut = false;

  constructor(
    private readonly res: WatchResponse,
    /** Ends the watch (the stream's own finish); called once, when the buffer overflows. */
    private readonly cutOff: () => void,
    private readonly limit = maxPendingWatchEvents,
  ) {}

  /** Whether the watcher was cut off for being too slow. */
  get wasCutOff(): boolean {
    return this.cut;
  }

  send(line: string): void {
    if (this.cut || this.res.writableEnded) return;
    if (this.pending.length === 0 && !this.res.writableNeedDrain) {
      this.res.write(line);
      return;
    }
    if (this.pending.length >= this.limit) {
      this.cut = true;
      this.pending = [];
      this.cutOff();
      setTimeout(() => this.res.destroy(), flushGraceMs).unref();
      return;
    }
    this.pending.push(line);
    if (this.pending.length === 1) this.res.once('drain', () => this.flush());
  }

  private flush(): void {
    let sent = 0;
    while (sent < this.pending.length && !this.res.writableEnded) {
      this.res.write(this.pending[sent++]);
      if (this.res.writableNeedDrain) break;
    }
    this.pending = this.pending.slice(sent);
    if (this.pending.length > 0 && !this.res.writableEnded) this.res.once('drain', () => this.flush());
  }
}
