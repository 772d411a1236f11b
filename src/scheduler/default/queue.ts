// The scheduling queue, after kube-scheduler's: an active queue (highest priority first, then oldest), a back-off
// area (1 s doubling to 10 s per failed attempt) and the unschedulable pods, which go back when the cluster changes
// in a way that may help (a node added or changed, room freed) or after 5 minutes at the latest.
import { EventEmitter } from 'node:events';

export const initialBackoffMs = 1000;
export const maxBackoffMs = 10_000;
export const maxUnschedulableMs = 5 * 60_000;

interface Entry {
  key: string;
  priority: number;
  /** When the pod first entered the queue (its place among equal priorities). */
  since: number;
  attempts: number;
  /** When the last attempt ended. */
  lastTry: number;
}

export class SchedulingQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly active = new Set<string>();
  private readonly backoff = new Map<string, NodeJS.Timeout>();
  private readonly unschedulable = new Set<string>();
  private readonly inFlight = new Set<string>();
  /** Keys whose pod changed or whose cluster changed while they were being scheduled. */
  private readonly touched = new Set<string>();
  private readonly wake = new EventEmitter();
  private readonly flushTimer: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly now: () => number = Date.now) {
    this.flushTimer = setInterval(() => this.flushUnschedulable(), 30_000);
    this.flushTimer.unref();
  }

  /** A new or changed pending pod: straight to the active queue unless it is backing off. */
  add(key: string, priority: number): void {
    if (this.stopped) return;
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { key, priority, since: this.now(), attempts: 0, lastTry: 0 });
      this.activate(key);
      return;
    }
    entry.priority = priority;
    if (this.inFlight.has(key)) this.touched.add(key);
    else if (this.unschedulable.has(key)) this.moveOut(key);
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.active.delete(key);
    this.unschedulable.delete(key);
    this.touched.delete(key);
    clearTimeout(this.backoff.get(key));
    this.backoff.delete(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The next pod to schedule, waiting for one; undefined once stopped. */
  async pop(): Promise<string | undefined> {
    while (!this.stopped) {
      let best: Entry | undefined;
      for (const key of this.active) {
        const e = this.entries.get(key)!;
        if (!best || e.priority > best.priority || (e.priority === best.priority && e.since < best.since)) best = e;
      }
      if (best) {
        this.active.delete(best.key);
        this.inFlight.add(best.key);
        return best.key;
      }
      await new Promise((resolve) => this.wake.once('ready', resolve));
    }
    return undefined;
  }

  /** The attempt ended with the pod bound (or gone): it leaves the queue. */
  done(key: string): void {
    this.inFlight.delete(key);
    this.delete(key);
  }

  /** The attempt failed: the pod waits among the unschedulable (or backs off, if something changed meanwhile). */
  failed(key: string, unschedulable = true): void {
    this.inFlight.delete(key);
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.attempts++;
    entry.lastTry = this.now();
    if (unschedulable && !this.touched.has(key)) this.unschedulable.add(key);
    else this.moveOut(key);
    this.touched.delete(key);
  }

  /** Something changed that may make unschedulable pods fit: they all get another try, after their back-off. */
  moveAllUnschedulable(): void {
    for (const key of this.inFlight) this.touched.add(key);
    for (const key of [...this.unschedulable]) this.moveOut(key);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.flushTimer);
    for (const timer of this.backoff.values()) clearTimeout(timer);
    this.backoff.clear();
    this.wake.emit('ready');
  }

  backoffMs(attempts: number): number {
    return attempts <= 0 ? 0 : Math.min(maxBackoffMs, initialBackoffMs * 2 ** (attempts - 1));
  }

  private moveOut(key: string): void {
    this.unschedulable.delete(key);
    const entry = this.entries.get(key);
    if (!entry || this.backoff.has(key) || this.active.has(key)) return;
    const wait = entry.lastTry + this.backoffMs(entry.attempts) - this.now();
    if (wait <= 0) {
      this.activate(key);
      return;
    }
    const timer = setTimeout(() => {
      this.backoff.delete(key);
      this.activate(key);
    }, wait);
    timer.unref();
    this.backoff.set(key, timer);
  }

  private activate(key: string): void {
    if (this.stopped || !this.entries.has(key)) return;
    this.active.add(key);
    this.wake.emit('ready');
  }

  private flushUnschedulable(): void {
    for (const key of [...this.unschedulable]) {
      const entry = this.entries.get(key);
      if (entry && this.now() - entry.lastTry >= maxUnschedulableMs) this.moveOut(key);
    }
  }
}
