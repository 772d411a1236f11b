// The back-off between deleting failed daemon pods on one node (client-go's flowcontrol.Backoff: 1 s doubling to
// 15 min, forgotten after twice the maximum of quiet), so a DaemonSet does not fight a kubelet that rejects it.
export class FailedPodBackoff {
  private entries = new Map<string, { delayMs: number; lastUpdate: number }>();

  constructor(
    private initialMs = 1000,
    private maxMs = 15 * 60 * 1000,
  ) {}

  /** Whether `key` is still waiting out its delay at `now`. */
  inBackoff(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && now - entry.lastUpdate < entry.delayMs;
  }

  /** The time left before `key` may act again. */
  remainingMs(key: string, now: number): number {
    const entry = this.entries.get(key);
    return entry ? Math.max(0, entry.lastUpdate + entry.delayMs - now) : 0;
  }

  /** Records an action for `key`: starts at the initial delay, else doubles it. */
  next(key: string, now: number): void {
    const entry = this.entries.get(key);
    if (!entry || now - entry.lastUpdate > 2 * this.maxMs) {
      this.entries.set(key, { delayMs: this.initialMs, lastUpdate: now });
    } else {
      entry.delayMs = Math.min(entry.delayMs * 2, this.maxMs);
      entry.lastUpdate = now;
    }
  }
}
