// Startup and readiness probes of a running container, as the kubelet schedules them: the first after
// initialDelaySeconds, then every periodSeconds; `started` once the startup probe passes (or there is none),
// `ready` from the readiness probe (or at once without one). Liveness is not probed.
import type { SandboxPod } from '../driver.js';
import type { Slot } from './container.js';
import type { RunningContainer, SandboxRuntime } from './runtime.js';

const seconds = (value: unknown, fallback: number) => (typeof value === 'number' && value >= 0 ? value : fallback);

export function startProbes(
  slot: Slot,
  running: RunningContainer,
  runtime: SandboxRuntime,
  pod: () => SandboxPod,
  changed: () => void,
): void {
  const { startupProbe, readinessProbe } = slot.spec;
  const alive = () => slot.running === running;
  const schedule = (ms: number, step: () => Promise<void>) => {
    clearTimeout(slot.probeTimer);
    slot.probeTimer = setTimeout(() => {
      step().catch(() => schedule(1000, step));
    }, ms);
    slot.probeTimer.unref?.();
  };
  const probe = async (kind: 'readiness' | 'startup') =>
    runtime.probe ? runtime.probe(pod(), slot.spec, running, kind) : true;

  const readiness = async () => {
    if (!alive()) return;
    const ready = await probe('readiness');
    if (!alive()) return;
    if (ready !== slot.status.ready) {
      slot.status.ready = ready;
      changed();
    }
    schedule(seconds(readinessProbe.periodSeconds, 10) * 1000, readiness);
  };
  const afterStartup = () => {
    if (!readinessProbe) {
      slot.status.ready = true;
      changed();
      return;
    }
    const due = running.startedAt.getTime() + seconds(readinessProbe.initialDelaySeconds, 0) * 1000;
    schedule(Math.max(0, due - Date.now()), readiness);
  };
  const startup = async () => {
    if (!alive()) return;
    const ok = await probe('startup');
    if (!alive()) return;
    if (!ok) return schedule(seconds(startupProbe.periodSeconds, 10) * 1000, startup);
    slot.status.started = true;
    changed();
    afterStartup();
  };

  if (slot.init && !slot.sidecar) return;
  if (startupProbe) schedule(seconds(startupProbe.initialDelaySeconds, 0) * 1000, startup);
  else {
    slot.status.started = true;
    afterStartup();
  }
}

export function stopProbes(slot: Slot): void {
  clearTimeout(slot.probeTimer);
  slot.probeTimer = undefined;
}
