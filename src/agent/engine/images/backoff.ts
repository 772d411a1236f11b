// The kubelet's per-image pull back-off: 10 s after the first failure, doubling up to 300 s, forgotten after a
// success (or after 2 × the maximum without failures).
export class PullBackOff {
  private readonly entries = new Map<string, { delayMs: number; lastFailure: number }>();

  constructor(
    private readonly initialMs = 10_000,
    private readonly maxMs = 300_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while `key` (pod/container/image) must not be pulled again. */
  inBackOff(key: string): boolean {
    const entry = this.entries.get(key);
    return !!entry && this.now() - entry.lastFailure < entry.delayMs;
  }

  /** Records a failure; resolves the delay until the next attempt. */
  failed(key: string): number {
    const entry = this.entries.get(key);
    const now = this.now();
    const fresh = !entry || now - entry.lastFailure > 2 * this.maxMs;
    const delayMs = fresh ? this.initialMs : Math.min(entry.delayMs * 2, this.maxMs);
    this.entries.set(key, { delayMs, lastFailure: now });
    return delayMs;
  }

  succeeded(key: string): void {
    this.entries.delete(key);
  }
}
