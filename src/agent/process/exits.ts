// Exit detection for every container the process runtime started: one poll of ListContainers for all of them (the
// CRI of containerd 1.6 has no events stream), then ContainerStatus for each that exited — its exit code, reason
// (Completed, Error, OOMKilled) and message. A container that vanished (its sandbox removed) ends as killed.
import type { CriClient } from '../engine/cri/client.js';
import { isNotFound } from '../engine/cri/errors.js';
import type { ContainerExit } from '../lifecycle/runtime.js';

interface Watched {
  resolve(exit: ContainerExit): void;
  exited: Promise<ContainerExit>;
}

const killed: ContainerExit = { exitCode: 137, reason: 'Error', message: 'the container is gone' };

export class ExitWatcher {
  private watched = new Map<string, Watched>();
  private timer?: NodeJS.Timeout;
  private polling = false;
  private closed = false;

  constructor(
    private cri: CriClient,
    private intervalMs: number,
    private onError: (error: unknown) => void,
  ) {}

  /** Resolves when the container (a bare CRI ID) exits. */
  watch(id: string): Promise<ContainerExit> {
    let entry = this.watched.get(id);
    if (!entry) {
      let resolve: (exit: ContainerExit) => void = () => {};
      const exited = new Promise<ContainerExit>((r) => {
        resolve = r;
      });
      entry = { resolve, exited };
      this.watched.set(id, entry);
      this.schedule();
    }
    return entry.exited;
  }

  /** Looks now rather than at the next tick (after a stop, say). */
  poke(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.poll();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const entry of this.watched.values()) entry.resolve(killed);
    this.watched.clear();
  }

  private schedule(): void {
    if (this.closed || this.timer || this.polling || !this.watched.size) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, this.intervalMs);
    this.timer.unref?.();
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const states = new Map((await this.cri.listContainers()).map((c) => [c.id, c.state]));
      await Promise.all(
        [...this.watched.keys()].map(async (id) => {
          const state = states.get(id);
          if (state === 'CONTAINER_RUNNING' || state === 'CONTAINER_CREATED') return;
          this.finish(id, state ? await this.exitOf(id) : killed);
        }),
      );
    } catch (error) {
      if (!this.closed) this.onError(error);
    } finally {
      this.polling = false;
      this.schedule();
    }
  }

  private async exitOf(id: string): Promise<ContainerExit> {
    try {
      const status = await this.cri.containerStatus(id);
      const exitCode = Number(status.exitCode);
      return {
        exitCode,
        reason: status.reason || (exitCode === 0 ? 'Completed' : 'Error'),
        ...(status.message ? { message: status.message } : {}),
      };
    } catch (error) {
      if (isNotFound(error)) return killed;
      throw error;
    }
  }

  private finish(id: string, exit: ContainerExit): void {
    const entry = this.watched.get(id);
    if (!entry) return;
    this.watched.delete(id);
    entry.resolve(exit);
  }
}
