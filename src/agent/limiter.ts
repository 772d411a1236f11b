// Bounds how many API calls of one kind run at once, so a thousand pods starting together queue up instead of
// flooding the API server. An urgent task goes ahead of the ones waiting.
export class Limiter {
  private active = 0;
  private waiting: (() => void)[] = [];

  constructor(private max: number) {}

  async run<T>(task: () => Promise<T>, urgent = false): Promise<T> {
    if (this.active >= this.max)
      await new Promise<void>((resolve) => (urgent ? this.waiting.unshift(resolve) : this.waiting.push(resolve)));
    this.active++;
    try {
      // Each call waits for the event loop's turn: in one process with the API, calls answered in microtasks
      // would otherwise hold back timers and requests until the whole backlog is done.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
