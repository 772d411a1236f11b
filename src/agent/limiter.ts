// Bounds how many API calls of one kind run at once, so a thousand pods starting together queue up instead of
// flooding the API server. An urgent task goes ahead of the ones waiting (the latest urgent one first). Tens of
// thousands may wait at once (every kubelet event of 10,000 starting pods): taking the next is O(1), never a shift
// of the whole waiting list.
export class Limiter {
  private active = 0;
  /** Urgent tasks waiting, the latest last (taken first). */
  private urgent: (() => void)[] = [];
  /** Other tasks waiting, in arrival order from `head` on. */
  private waiting: ((() => void) | undefined)[] = [];
  private head = 0;

  constructor(private max: number) {}

  async run<T>(task: () => Promise<T>, urgent = false): Promise<T> {
    if (this.active >= this.max)
      await new Promise<void>((resolve) => (urgent ? this.urgent.push(resolve) : this.waiting.push(resolve)));
    this.active++;
    try {
      // Each call waits for the event loop's turn: in one process with the API, calls answered in microtasks
      // would otherwise hold back timers and requests until the whole backlog is done.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return await task();
    } finally {
      this.active--;
      this.next()?.();
    }
  }

  private next(): (() => void) | undefined {
    if (this.urgent.length > 0) return this.urgent.pop();
    if (this.head === this.waiting.length) return undefined;
    const resolve = this.waiting[this.head];
    this.waiting[this.head++] = undefined;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return resolve;
  }
}
