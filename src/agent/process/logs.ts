// Where each container instance's CRI log file is, by container ID, and reading it the way `kubectl logs` asks:
// tail, since, timestamps, follow until the lifecycle says the instance has exited. Bounded: the oldest are forgotten.
import { existsSync } from 'node:fs';
import type { ContainerLogOptions } from '../driver.js';
import { readContainerLog } from '../engine/logs/reader.js';

const remembered = 20_000;

export class LogFiles {
  private paths = new Map<string, string>();

  remember(containerId: string, path: string): void {
    this.paths.set(containerId, path);
    if (this.paths.size > remembered) this.paths.delete(this.paths.keys().next().value as string);
  }

  async *read(containerId: string, options: ContainerLogOptions): AsyncGenerator<string> {
    const path = this.paths.get(containerId);
    if (!path || !existsSync(path)) return;
    yield* readContainerLog(path, {
      tail: options.tailLines,
      sinceMs: options.sinceMs,
      timestamps: options.timestamps,
      follow: options.follow,
      signal: options.signal,
    });
  }
}
