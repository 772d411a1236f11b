// The timed half of the lifecycle: a profile or node group in CREATING becomes ACTIVE, one in DELETING goes away,
// at the `transitionAt` stored with it, so a transition left pending when the server stopped completes on restart.
import { ConflictError, KeyNotFoundError } from '../store/errors.js';
import type { Backend } from '../store/types.js';
import { keys } from './records.js';

interface Transitioning {
  profile?: { status: string };
  nodegroup?: { status: string; modifiedAt: number };
  transitionAt?: number;
}

export class Transitions {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly store: Backend,
    private readonly now: () => number,
  ) {}

  /** Picks up every pending transition found in the store. */
  async resume(): Promise<void> {
    for (const prefix of [keys.allProfiles(), keys.allNodegroups()]) {
      const { items } = await this.store.list(prefix);
      for (const kv of items) {
        const record = JSON.parse(kv.value) as Transitioning;
        if (record.transitionAt !== undefined) this.schedule(kv.key, record.transitionAt);
      }
    }
  }

  schedule(key: string, at: number): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(key));
    const timer = setTimeout(
      () => {
        this.timers.delete(key);
        const run = this.complete(key).catch((error) => {
          if (!(error instanceof ConflictError || error instanceof KeyNotFoundError)) throw error;
        });
        this.running.add(run);
        run.finally(() => this.running.delete(run));
      },
      Math.max(0, at - this.now()),
    );
    this.timers.set(key, timer);
  }

  private async complete(key: string): Promise<void> {
    const kv = await this.store.get(key);
    if (!kv || this.closed) return;
    const record = JSON.parse(kv.value) as Transitioning;
    const inner = record.profile ?? record.nodegroup;
    if (!inner) return;
    if (inner.status === 'DELETING') {
      await this.store.delete(key, kv.modRevision);
    } else if (inner.status === 'CREATING') {
      inner.status = 'ACTIVE';
      if (record.nodegroup) record.nodegroup.modifiedAt = this.now() / 1000;
      record.transitionAt = undefined;
      await this.store.update(key, JSON.stringify(record), kv.modRevision);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
