// Work due at a stored time, one timer per store key: what the EKS API's timed transitions (transitions.ts) and
// cluster updates (clusters/updates-store.ts) share. A run that loses a race to another write (a conflict, a key
// gone) is no error; `close` cancels what is pending and waits for what runs.
import { ConflictError, KeyNotFoundError } from '../store/errors.js';

export class KeyTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly now: () => number,
    private readonly run: (key: string) => Promise<void>,
    /** What else a run's failure does (it is thrown, unhandled, when absent). */
    private readonly onError: (key: string, error: unknown) => void = (_key, error) => {
      throw error;
    },
  ) {}

  get closed(): boolean {
    return this.stopped;
  }

  /** Runs `key` at epoch ms `at` (now when past), replacing a run already scheduled for it. */
  schedule(key: string, at: number): void {
    if (this.stopped) return;
    this.cancel(key);
    const timer = setTimeout(
      () => {
        this.timers.delete(key);
        const run = this.run(key).catch((error) => {
          if (!(error instanceof ConflictError || error instanceof KeyNotFoundError)) this.onError(key, error);
        });
        this.running.add(run);
        run.finally(() => this.running.delete(run));
      },
      Math.max(0, at - this.now()),
    );
    this.timers.set(key, timer);
  }

  cancel(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  async close(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
