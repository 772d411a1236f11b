// A work queue in client-go's manner: a key is queued at most once and never handled by two workers at once;
// failures come back after the rate limiter's delay (client-go's DefaultControllerRateLimiter: per key 5 ms
// doubling to 1000 s, 10 retries a second overall), success forgets the key. Each reconcile runs with its write
// cause (the queue's component and the key), which the API's write guard counts.
import { type WriteCause, withoutWriteCause, withWriteCause } from '../kube/client/write-cause.js';
import { defaultControllerRateLimiter, ItemExponentialFailureRateLimiter, type RateLimiter } from './rate-limit.js';

export interface ReconcileResult {
  requeueAfterMs?: number;
}

export type Reconciler = (key: string) => Promise<ReconcileResult | undefined>;

const maxTimerMs = 2 ** 31 - 1;

export interface WorkQueueOptions {
  /** Keys handled at once (default 2). */
  workers?: number;
  /** Retry delays (default client-go's DefaultControllerRateLimiter). */
  rateLimiter?: RateLimiter;
  /** The component whose queue it is: the cause of its reconciles' writes. */
  component?: string;
  /** The kind of object its keys name, when they name kube objects. */
  object?: WriteCause['object'];
}

/** A per-key exponential limiter alone (tests and fakes that want short, predictable retries). */
export function exponentialRetries(baseMs: number, maxMs = 1_000_000): RateLimiter {
  return new ItemExponentialFailureRateLimiter(baseMs, maxMs);
}

export class WorkQueue {
  /** Keys waiting, in the order they came (a Set keeps insertion order: taking the first is O(1)). */
  private queued = new Set<string>();
  private processing = new Set<string>();
  private dirty = new Set<string>();
  private timers = new Set<NodeJS.Timeout>();
  private idle: (() => void)[] = [];
  private active = 0;
  private stopped = false;

  private readonly workers: number;
  readonly rateLimiter: RateLimiter;
  /** The kind of object the keys name, when they name kube objects. */
  object?: WriteCause['object'];

  constructor(
    private reconcile: Reconciler,
    private onError: (key: string, error: unknown) => void,
    private options: WorkQueueOptions = {},
  ) {
    this.workers = options.workers ?? 2;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter();
    this.object = options.object;
  }

  add(key: string): void {
    if (this.stopped) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.pump();
  }

  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    // Node fires timers longer than 2^31-1 ms at once; a key due later is re-examined after that much time.
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.add(key);
      },
      Math.min(delayMs, maxTimerMs),
    );
    this.timers.add(timer);
  }

  /** Re-queues the key after its next back-off step. */
  addRateLimited(key: string): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  /** How many times the key has failed in a row. */
  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** Resolves once nothing is queued or being handled (delayed keys aside). */
  async drained(): Promise<void> {
    if (this.active === 0 && this.queued.size === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queued.clear();
  }

  private pump(): void {
    while (this.active < this.workers && this.queued.size > 0 && !this.stopped) {
      const key: string = this.queued.values().next().value!;
      this.queued.delete(key);
      this.processing.add(key);
      this.active++;
      this.handle(key).finally(() => {
        this.active--;
        this.processing.delete(key);
        if (this.dirty.delete(key)) this.add(key);
        this.pump();
        if (this.active === 0 && this.queued.size === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  private async handle(key: string): Promise<void> {
    // In one process the API answers in microtasks: a backlog worked off without a break would hold back every
    // timer (heartbeats, wake-ups) and every request until it is done. Each key waits for the event loop's turn.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      const { component } = this.options;
      const object = this.object;
      // A key added from inside another queue's reconcile (its write reached an informer) must not inherit that
      // reconcile's cause: each reconcile runs with its own, or none.
      const run = () => this.reconcile(key);
      const result = await (component ? withWriteCause({ component, key, object }, run) : withoutWriteCause(run));
      this.forget(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      if (this.stopped) return;
      this.onError(key, error);
      this.addRateLimited(key);
    }
  }
}
