// The simulated containers' output, kept in memory like the kubelet's log files: the lines of each container
// instance with their times, bounded per instance and in all, readable as `kubectl logs` asks (tail, since,
// timestamps) and followed until the instance ends.
import type { ContainerLogOptions } from '../driver.js';

interface Line {
  seq: number;
  /** When it was written (its RFC 3339 text with nanoseconds, as CRI logs carry it, is made when it is read). */
  ms: number;
  text: string;
}

interface InstanceLog {
  lines: Line[];
  bytes: number;
  ended: boolean;
  waiters: Set<() => void>;
}

export interface LogStoreLimits {
  /** Bytes kept per container instance; the oldest lines go first (the kubelet rotates at 10 MiB). */
  instanceBytes: number;
  /** Bytes kept in all; the logs of the oldest instances that have ended go first. */
  totalBytes: number;
  /** Instances kept in all, the same way. */
  instances: number;
}

export const defaultLogStoreLimits: LogStoreLimits = {
  instanceBytes: 1 << 20,
  totalBytes: 64 << 20,
  instances: 20_000,
};

/** 2025-01-01T00:00:00.123456789Z for a line (the sub-millisecond digits from its sequence, so order holds). */
function rfc3339Nano(line: Line): string {
  const base = new Date(line.ms).toISOString().slice(0, 23);
  return `${base}${String(line.seq % 1_000_000).padStart(6, '0')}Z`;
}

export class LogStore {
  private logs = new Map<string, InstanceLog>();
  private total = 0;
  private sequence = 0;

  constructor(private limits: LogStoreLimits = defaultLogStoreLimits) {}

  /** Starts an instance's log (an instance already known keeps its lines). */
  open(id: string): void {
    if (this.logs.has(id)) return;
    this.logs.set(id, { lines: [], bytes: 0, ended: false, waiters: new Set() });
    this.evict();
  }

  append(id: string, text: string, now = new Date()): void {
    const log = this.logs.get(id);
    if (!log || log.ended) return;
    const seq = this.sequence++;
    const line: Line = { seq, ms: now.getTime(), text };
    const size = text.length + 1;
    log.lines.push(line);
    log.bytes += size;
    this.total += size;
    while (log.bytes > this.limits.instanceBytes && log.lines.length > 1) this.dropOldest(log);
    this.evict();
    wake(log);
  }

  /** The instance's process has exited: followers finish. */
  end(id: string): void {
    const log = this.logs.get(id);
    if (!log || log.ended) return;
    log.ended = true;
    wake(log);
  }

  forget(id: string): void {
    const log = this.logs.get(id);
    if (!log) return;
    this.total -= log.bytes;
    log.ended = true;
    wake(log);
    this.logs.delete(id);
  }

  has(id: string): boolean {
    return this.logs.has(id);
  }

  /** The instance's log as `kubectl logs` shows it, one chunk per line; follows until it ends or `signal` aborts. */
  async *read(id: string, options: ContainerLogOptions): AsyncGenerator<string> {
    const log = this.logs.get(id);
    if (!log) return;
    const render = (line: Line) => (options.timestamps ? `${rfc3339Nano(line)} ${line.text}\n` : `${line.text}\n`);
    const wanted = (line: Line) => options.sinceMs === undefined || line.ms >= options.sinceMs;
    let lines = log.lines.filter(wanted);
    const tail = options.tailLines;
    if (tail !== undefined && tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
    let seen = log.lines.at(-1)?.seq ?? -1;
    for (const line of lines) yield render(line);
    if (!options.follow) return;
    const signal = options.signal;
    for (;;) {
      const fresh = log.lines.filter((line) => line.seq > seen);
      if (fresh.length) {
        seen = fresh.at(-1)!.seq;
        for (const line of fresh) if (wanted(line)) yield render(line);
        continue;
      }
      if (signal?.aborted || log.ended) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          log.waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        log.waiters.add(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  private dropOldest(log: InstanceLog): void {
    const line = log.lines.shift()!;
    log.bytes -= line.text.length + 1;
    this.total -= line.text.length + 1;
  }

  private evict(): void {
    const over = () => this.total > this.limits.totalBytes || this.logs.size > this.limits.instances;
    if (!over()) return;
    for (const [id, log] of this.logs) {
      if (!over()) return;
      if (log.ended) this.forget(id);
    }
    for (const log of this.logs.values()) {
      while (this.total > this.limits.totalBytes && log.lines.length > 1) this.dropOldest(log);
    }
  }
}

function wake(log: InstanceLog): void {
  for (const waiter of [...log.waiters]) waiter();
}
