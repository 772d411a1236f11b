// The runaway guard on the kube API's writes: each reconcile's writes are counted by their cause (the component
// and the work-queue key, kube/client/write-cause.ts), and a cause that creates or updates more than `perMinute`
// objects in a minute (10,000 by default, beyond any scale-up a reconcile makes at once) is held back: its writes are refused with 429 TooManyRequests (Retry-After) for 10 s, doubling each time
// it trips again (up to 1000 s) and allowed half as many writes after each hold, so the reconcile's own back-off
// takes over and a loop that cannot converge makes a bounded, falling number of writes rather than filling the
// disk. Each trip is reported once (`onRunaway`: a log line and an Event naming the object and the controller).
// Writes with no cause (users, agents) are not counted, nor deletes (a namespace or a scale-down emptied at once).

import type { Backend } from '../../store/types.js';
import { tooManyRequests } from '../api/errors.js';
import { currentWriteCause, type WriteCause } from '../client/write-cause.js';

export interface Runaway {
  cause: WriteCause;
  /** Writes counted in the window that tripped. */
  writes: number;
  /** How long its writes are refused. */
  holdMs: number;
}

export interface WriteGuardOptions {
  /** Creates and updates one cause may make in a minute before it is held back (default 10,000). */
  perMinute?: number;
  /** The first hold (default 10 s); each trip within `forgetAfterMs` of the last doubles it. */
  firstHoldMs?: number;
  maxHoldMs?: number;
  /** A cause quiet this long starts again from the first hold and the full allowance (default 10 min). */
  forgetAfterMs?: number;
  now?: () => number;
}

interface CauseState {
  windowStart: number;
  count: number;
  /** Writes allowed in the current window. */
  allowance: number;
  heldUntil: number;
  level: number;
  lastTrip: number;
}

const windowMs = 60_000;
const minPruneAt = 10_000;

export class WriteGuard {
  private readonly causes = new Map<string, CauseState>();
  /** The count of causes at which the next prune runs: twice what the last one kept, so pruning stays linear. */
  private pruneAt = minPruneAt;
  private readonly perMinute: number;
  private readonly firstHoldMs: number;
  private readonly maxHoldMs: number;
  private readonly forgetAfterMs: number;
  private readonly now: () => number;
  /** Told of each trip (set by whoever wires the API: it logs and records an Event). */
  onRunaway: (runaway: Runaway) => void = () => {};

  constructor(options: WriteGuardOptions = {}) {
    this.perMinute = options.perMinute ?? 10_000;
    this.firstHoldMs = options.firstHoldMs ?? 10_000;
    this.maxHoldMs = options.maxHoldMs ?? 1_000_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 600_000;
    this.now = options.now ?? Date.now;
  }

  /** Counts a write of the current cause; throws 429 when that cause is held back. */
  admit(): void {
    const cause = currentWriteCause();
    if (!cause) return;
    const id = `${cause.component}\n${cause.key}`;
    const now = this.now();
    let state = this.causes.get(id);
    if (!state || (now - state.windowStart >= windowMs && now - state.lastTrip >= this.forgetAfterMs)) {
      if (this.causes.size >= this.pruneAt) this.prune(now);
      state = { windowStart: now, count: 0, allowance: this.perMinute, heldUntil: 0, level: 0, lastTrip: -Infinity };
      this.causes.set(id, state);
    }
    if (now < state.heldUntil) throw this.refusal(cause, state.heldUntil - now);
    if (now - state.windowStart >= windowMs) {
      state.windowStart = now;
      state.count = 0;
    }
    state.count++;
    if (state.count <= state.allowance) return;
    const holdMs = Math.min(this.firstHoldMs * 2 ** state.level, this.maxHoldMs);
    const writes = state.count - 1;
    state.level++;
    state.lastTrip = now;
    state.heldUntil = now + holdMs;
    state.windowStart = state.heldUntil;
    state.count = 0;
    state.allowance = Math.max(10, Math.floor(this.perMinute / 2 ** state.level));
    this.onRunaway({ cause, writes, holdMs });
    throw this.refusal(cause, holdMs);
  }

  private refusal(cause: WriteCause, holdMs: number) {
    const seconds = Math.ceil(holdMs / 1000);
    return tooManyRequests(
      `Too many requests, please try again later: the writes of ${cause.component} for ${describeKey(cause)} are held back for ${seconds}s (more than ${this.perMinute} writes a minute)`,
      seconds,
    );
  }

  private prune(now: number): void {
    for (const [id, state] of this.causes) {
      if (now - state.windowStart >= windowMs && now - state.lastTrip >= this.forgetAfterMs) this.causes.delete(id);
    }
    this.pruneAt = Math.max(minPruneAt, 2 * this.causes.size);
  }
}

/** "Deployment default/bad", or the bare key when the kind is not known. */
export function describeKey(cause: WriteCause): string {
  return cause.object ? `${cause.object.kind} ${cause.key}` : cause.key;
}

/** The store as the kube API writes to it: every create and update is first admitted by the guard. */
export function guardWrites(store: Backend, guard: WriteGuard): Backend {
  return {
    currentRevision: () => store.currentRevision(),
    compactedRevision: () => store.compactedRevision(),
    get: (key) => store.get(key),
    list: (prefix, options) => store.list(prefix, options),
    count: (prefix) => store.count(prefix),
    watch: (prefix, options, onEvent) => store.watch(prefix, options, onEvent),
    compact: (revision) => store.compact(revision),
    durable: () => store.durable(),
    close: () => store.close(),
    create: async (key, value) => {
      guard.admit();
      return store.create(key, value);
    },
    update: async (key, value, expected) => {
      guard.admit();
      return store.update(key, value, expected);
    },
    delete: (key, expected) => store.delete(key, expected),
  };
}
