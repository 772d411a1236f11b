// The timed half of the lifecycle: a profile or node group in CREATING becomes ACTIVE, one in DELETING goes away,
// at the `transitionAt` stored with it, so a transition left pending when the server stopped completes on restart.
import type { Backend } from '../store/types.js';
import { KeyTimers } from './key-timers.js';
import { keys } from './records.js';

interface Transitioning {
  profile?: { status: string };
  nodegroup?: { status: string; modifiedAt: number };
  transitionAt?: number;
}

export class Transitions {
  private readonly timers: KeyTimers;

  constructor(
    private readonly store: Backend,
    private readonly now: () => number,
  ) {
    this.timers = new KeyTimers(now, (key) => this.complete(key));
  }

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
    this.timers.schedule(key, at);
  }

  private async complete(key: string): Promise<void> {
    const kv = await this.store.get(key);
    if (!kv || this.timers.closed) return;
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

  close(): Promise<void> {
    return this.timers.close();
  }
}
