// The periodic compactor: every `intervalMs` it compacts the store to `current - retainRevisions`, as
// kube-apiserver does for etcd every five minutes, so history stays bounded while recent watches can still resume.
import type { Backend } from './types.js';

export interface CompactorOptions {
  intervalMs?: number;
  retainRevisions?: number;
  /** Called when a compaction fails (default: a process warning). */
  onError?: (err: unknown) => void;
}

export interface Compactor {
  stop(): void;
  /** Runs one compaction now; resolves to the revision compacted to, or undefined when nothing was due. */
  runOnce(): Promise<number | undefined>;
}

export function startCompactor(backend: Backend, options: CompactorOptions = {}): Compactor {
  const { intervalMs = 60_000, retainRevisions = 10_000 } = options;
  const onError = options.onError ?? ((err) => process.emitWarning(`store compaction failed: ${err}`));
  let running: Promise<number | undefined> | undefined;

  async function compactOnce(): Promise<number | undefined> {
    const target = (await backend.currentRevision()) - retainRevisions;
    if (target <= (await backend.compactedRevision())) return undefined;
    await backend.compact(target);
    return target;
  }

  function runOnce(): Promise<number | undefined> {
    running ??= compactOnce().finally(() => {
      running = undefined;
    });
    return running;
  }

  const timer = setInterval(() => runOnce().catch(onError), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), runOnce };
}
