// A work queue in client-go's manner: a key is queued at most once and never handled by two workers at once;
// failures come back after a per-key exponential back-off (5ms doubling to 1000s), success forgets the key.
export interface ReconcileResult {
  requeueAfterMs?: number;
}

export type Reconciler = (key: string) => Promise<ReconcileResult | undefined>;

const maxTimerMs = 2 ** 31 - 1;

export class WorkQueue {
  /** Keys waiting, in the order they came (a Set keeps insertion order: taking the first is O(1)). */
  private queued = new Set<string>();
  private processing = new Set<string>();
  private dirty = new Set<string>();
  private failures = new Map<string, number>();
  private timers = new Set<NodeJS.Timeout>();
  private idle: (() => void)[] = [];
  private active = 0;
  private stopped = false;

  constructor(
    private reconcile: Reconciler,
    private onError: (key: string, error: unknown) => void,
    private workers = 2,
    private baseDelayMs = 5,
    private maxDelayMs = 1_000_000,
  ) {}

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
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    this.addAfter(key, Math.min(this.baseDelayMs * 2 ** failures, this.maxDelayMs));
  }

  forget(key: string): void {
    this.failures.delete(key);
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
    try {
      const result = await this.reconcile(key);
      this.forget(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      if (this.stopped) return;
      this.onError(key, error);
      this.addRateLimited(key);
    }
  }
}
