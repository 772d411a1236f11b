// The Backend semantics over any Log: revision checks, create/update/delete with expected revisions, pinned reads,
// watches through the WatchHub, and compaction in batches. memory.ts and sqlite.ts only supply the Log.
import {
  CompactedError,
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  StoreError,
} from './errors.js';
import { type HistoryRow, type Log, type LogRow, toEvent, toKeyValue } from './log.js';
import type { Backend, KeyValue, ListOptions, ListResult, Watch, WatchEvent, WatchOptions } from './types.js';
import { WatchHub } from './watch-hub.js';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class LogBackend implements Backend {
  private readonly hub: WatchHub;
  private compaction: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly log: Log) {
    this.hub = new WatchHub((prefix, after, limit) => log.history(prefix, after, limit));
  }

  async currentRevision(): Promise<number> {
    this.ensureOpen();
    return this.log.lastRevision();
  }

  async compactedRevision(): Promise<number> {
    this.ensureOpen();
    return this.log.compactedRevision();
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.ensureOpen();
    const row = this.log.live(key);
    return row && toKeyValue(row);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.ensureOpen();
    const revision = options.revision || this.log.lastRevision();
    this.ensureReadable(revision);
    const limit = options.limit ?? 0;
    const rows = this.log.listAt(prefix, revision, options.startAfter, limit > 0 ? limit + 1 : 0);
    const more = limit > 0 && rows.length > limit;
    return { items: (more ? rows.slice(0, limit) : rows).map(toKeyValue), revision, more };
  }

  async count(prefix: string): Promise<number> {
    this.ensureOpen();
    return this.log.countLive(prefix);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    return this.write(key, (revision) => {
      if (this.log.isLive(key)) throw new KeyExistsError(key);
      return { revision, key, value, createRevision: revision, prevRevision: 0, deleted: false };
    });
  }

  async update(key: string, value: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.write(key, (revision) => {
      const live = this.liveVersion(key, expectedModRevision);
      const { createRevision } = live;
      return {
        revision,
        key,
        value,
        createRevision,
        prevRevision: live.revision,
        deleted: false,
        prevValue: live.value,
      };
    });
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.write(key, (revision) => {
      const live = this.liveVersion(key, expectedModRevision);
      const { value, createRevision } = live;
      return { revision, key, value, createRevision, prevRevision: live.revision, deleted: true };
    });
  }

  async watch(prefix: string, options: WatchOptions, onEvent: (event: WatchEvent) => void): Promise<Watch> {
    this.ensureOpen();
    const compacted = this.log.compactedRevision();
    if (options.afterRevision < compacted) throw new CompactedError(options.afterRevision, compacted);
    return this.hub.subscribe(prefix, options.afterRevision, onEvent);
  }

  durable(): Promise<void> | undefined {
    return this.log.durable();
  }

  /** Compactions run one after another; each deletes in batches and lets other work run between them. */
  compact(revision: number): Promise<void> {
    const run = this.compaction.then(() => this.runCompaction(revision));
    this.compaction = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll();
    await this.compaction;
    this.log.close();
  }

  /** The number of open watches (for tests and metrics). */
  get watchCount(): number {
    return this.hub.size;
  }

  private async runCompaction(revision: number): Promise<void> {
    this.ensureOpen();
    const current = this.log.lastRevision();
    if (revision > current) throw new FutureRevisionError(revision, current);
    if (revision <= this.log.compactedRevision()) return;
    this.log.markCompacted(revision);
    let done = 0;
    while (done < revision && !this.closed) {
      await yieldToEventLoop();
      if (!this.closed) done = this.log.compactBatch(revision, done);
    }
  }

  /** Commits the row `plan` makes for the next revision, then tells the watches. */
  private write(key: string, plan: (revision: number) => HistoryRow): KeyValue {
    this.ensureOpen();
    if (key === '') throw new StoreError('key must not be empty');
    const row = this.log.atomically(() => {
      const planned = plan(this.log.lastRevision() + 1);
      this.log.append(planned);
      return planned;
    });
    this.hub.publish(toEvent(row));
    return toKeyValue(row);
  }

  private liveVersion(key: string, expectedModRevision: number | undefined): LogRow {
    const live = this.log.live(key);
    if (!live) throw new KeyNotFoundError(key);
    if (expectedModRevision !== undefined && expectedModRevision !== live.revision) {
      throw new ConflictError(key, expectedModRevision, live.revision);
    }
    return live;
  }

  private ensureReadable(revision: number): void {
    const compacted = this.log.compactedRevision();
    if (revision < compacted) throw new CompactedError(revision, compacted);
    const current = this.log.lastRevision();
    if (revision > current) throw new FutureRevisionError(revision, current);
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreError('the store is closed');
  }
}
