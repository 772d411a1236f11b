// Writes pod statuses through the status subresource like the kubelet's status manager: the latest wanted status
// per pod, coalesced (a burst of changes is one write), skipped when unchanged, a bounded number in flight, each a
// JSON patch guarded by the pod's uid (a recreated pod of the same name is never written over). A status may be
// given as a function, called only when its write is due: a burst of changes then assembles the status once.
import type { KubeClient } from '../kube/client/types.js';

export interface PodTarget {
  namespace: string;
  name: string;
  uid: string;
}

type Status = Record<string, unknown>;

interface Wanted {
  target: PodTarget;
  status: Status | (() => Status);
}

export interface StatusWriterOptions {
  concurrency?: number;
  /** How long changes gather before writes start (coalescing window). */
  batchMs?: number;
  onError?: (error: unknown) => void;
}

export class StatusWriter {
  private wanted = new Map<string, Wanted>();
  private written = new Map<string, string>();
  /** Pods waiting for a write, in the order they came (taking a Set's first key is O(1)). */
  private queued = new Set<string>();
  private inFlight = new Set<string>();
  private waiters = new Map<string, (() => void)[]>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly concurrency: number;
  private readonly batchMs: number;
  private readonly onError: (error: unknown) => void;

  constructor(
    private client: KubeClient,
    options: StatusWriterOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 8;
    this.batchMs = options.batchMs ?? 20;
    this.onError = options.onError ?? (() => {});
  }

  set(target: PodTarget, status: Status | (() => Status)): void {
    if (this.stopped) return;
    const uid = target.uid;
    if (typeof status !== 'function' && !this.inFlight.has(uid) && JSON.stringify(status) === this.written.get(uid)) {
      this.wanted.delete(uid);
      this.settle(uid);
      return;
    }
    this.wanted.set(uid, { target, status });
    this.enqueue(uid);
  }

  /** Resolves once the latest status set for the pod has been written (or given up). */
  flush(uid: string): Promise<void> {
    if (this.idle(uid)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(uid) ?? [];
      list.push(resolve);
      this.waiters.set(uid, list);
    });
  }

  forget(uid: string): void {
    this.wanted.delete(uid);
    this.written.delete(uid);
    this.settle(uid, true);
  }

  /** Stops writing; resolves when the writes in flight have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const pending = [...this.inFlight].map((uid) => this.flush(uid));
    this.wanted.clear();
    for (const uid of [...this.waiters.keys()]) if (!this.inFlight.has(uid)) this.settle(uid, true);
    await Promise.all(pending);
  }

  private idle(uid: string): boolean {
    return !this.wanted.has(uid) && !this.inFlight.has(uid);
  }

  private settle(uid: string, force = false): void {
    if (!force && !this.idle(uid)) return;
    const list = this.waiters.get(uid);
    this.waiters.delete(uid);
    for (const resolve of list ?? []) resolve();
  }

  private enqueue(uid: string): void {
    if (this.queued.has(uid) || this.inFlight.has(uid)) return;
    this.queued.add(uid);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, this.batchMs);
  }

  private pump(): void {
    while (this.inFlight.size < this.concurrency && this.queued.size > 0 && !this.stopped) {
      const uid: string = this.queued.values().next().value!;
      this.queued.delete(uid);
      const wanted = this.wanted.get(uid);
      if (!wanted) continue;
      this.wanted.delete(uid);
      const status = typeof wanted.status === 'function' ? wanted.status() : wanted.status;
      const json = JSON.stringify(status);
      if (json === this.written.get(uid)) {
        this.settle(uid);
        continue;
      }
      this.inFlight.add(uid);
      this.write(wanted.target, status, json).finally(() => {
        this.inFlight.delete(uid);
        if (this.wanted.has(uid) && !this.stopped) this.enqueue(uid);
        else this.settle(uid, true);
        this.pump();
      });
    }
  }

  private async write(target: PodTarget, status: Status, json: string): Promise<void> {
    const operations = [
      { op: 'test', path: '/metadata/uid', value: target.uid },
      ...Object.entries(status)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => ({ op: 'add', path: `/status/${key}`, value })),
    ];
    try {
      await this.client.patch(
        { apiVersion: 'v1', kind: 'Pod', namespace: target.namespace },
        target.name,
        operations,
        'json',
        { subresource: 'status' },
      );
      this.written.set(target.uid, json);
    } catch (error: any) {
      // 404: the pod is gone; 422: the uid test failed (another pod of that name) — nothing to write to.
      if (error?.code === 404 || error?.code === 422) {
        this.written.delete(target.uid);
        return;
      }
      this.onError(error);
      if (!this.wanted.has(target.uid) && !this.stopped) {
        await new Promise((resolve) => setTimeout(resolve, 1000).unref?.());
        if (!this.wanted.has(target.uid)) this.wanted.set(target.uid, { target, status });
      }
    }
  }
}
