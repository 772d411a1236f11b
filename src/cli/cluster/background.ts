// Starts the control plane without holding up `skiff up`'s readiness: the API answers (and /healthz is fast) while
// the controllers list their caches and catch up, however large the backlog. A start that fails is retried with a
// growing delay (1 s doubling to 30 s), each failure logged, until it succeeds or the cluster stops.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlPlane } from './control-plane.js';

export function startInBackground(
  start: () => Promise<ControlPlane>,
  onError: (error: unknown) => void,
): ControlPlane & { started: Promise<ControlPlane | undefined> } {
  let stopped = false;
  const abort = new AbortController();
  const started = (async () => {
    for (let delayMs = 1000; !stopped; delayMs = Math.min(delayMs * 2, 30_000)) {
      try {
        return await start();
      } catch (error) {
        onError(error);
        await sleep(delayMs, undefined, { signal: abort.signal }).catch(() => {});
      }
    }
    return undefined;
  })();
  return {
    started,
    async stop() {
      stopped = true;
      abort.abort();
      await (await started)?.stop();
    },
  };
}
