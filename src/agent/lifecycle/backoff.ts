// The kubelet's restart back-off for one container (client-go flowcontrol.Backoff as kuberuntime uses it): the first
// restart is immediate, then each waits base, 2×base, … up to max; an entry older than 2×max starts over.
export interface BackOffOptions {
  baseMs: number;
  maxMs: number;
}

export const kubeletBackOff: BackOffOptions = { baseMs: 10_000, maxMs: 300_000 };

export class RestartBackOff {
  private currentMs = 0;
  private lastUpdate = -Infinity;

  constructor(private options: BackOffOptions) {}

  /** How long to wait before restarting a container that finished at `finishedAt` (ms since epoch). */
  delayAfter(finishedAt: number, now = Date.now()): number {
    const expired = finishedAt - this.lastUpdate > 2 * this.options.maxMs;
    if (expired) return 0;
    return Math.max(0, finishedAt + this.currentMs - now);
  }

  /** The back-off now in force (what "back-off 20s restarting failed container" prints). */
  get current(): number {
    return this.currentMs;
  }

  /** Records a restart happening now. */
  next(finishedAt: number, now = Date.now()): void {
    if (finishedAt - this.lastUpdate > 2 * this.options.maxMs) this.currentMs = this.options.baseMs;
    else this.currentMs = Math.min(this.currentMs * 2, this.options.maxMs);
    this.lastUpdate = now;
  }
}
