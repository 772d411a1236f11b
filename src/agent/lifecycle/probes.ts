// A running container's startup, liveness and readiness probes, as the kubelet's probe workers run them: each every
// periodSeconds (first after initialDelaySeconds), a result counted only after failureThreshold failures or
// successThreshold successes in a row; liveness and readiness wait for the startup probe to pass; each failure
// records `Unhealthy` "<Kind> probe failed: <output>" (or "errored" when it could not run). A failing startup or
// liveness probe asks the lifecycle to kill the container (the probe then holds until the next instance).
import type { SandboxEvent, SandboxPod } from '../driver.js';
import type { Slot } from './container.js';
import { runProbe, timeoutSecondsOf } from './handlers/probe.js';
import type { ProbeKind, RunningContainer, SandboxRuntime } from './runtime.js';

export interface ProbeContext {
  runtime: SandboxRuntime;
  pod(): SandboxPod;
  /** The container's ready or started flag changed. */
  changed(): void;
  emit(event: SandboxEvent): void;
  /** The container failed its liveness or startup probe: kill it, to be restarted per the pod's restartPolicy. */
  failed(kind: 'liveness' | 'startup'): void;
}

const title = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };
const positive = (value: unknown, fallback: number) =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;

interface Worker {
  timer?: NodeJS.Timeout;
  stopped: boolean;
  /** Probes at once (liveness and readiness when the startup probe has just passed). */
  now(): void;
}

export function startProbes(slot: Slot, running: RunningContainer, ctx: ProbeContext): void {
  stopProbes(slot);
  if (slot.init && !slot.sidecar) return;
  const { startupProbe, livenessProbe, readinessProbe } = slot.spec;
  const workers: Worker[] = [];
  slot.probes = {
    stop: () => {
      for (const w of workers) {
        w.stopped = true;
        clearTimeout(w.timer);
      }
    },
  };
  const alive = () => slot.running === running;

  slot.status.started = !startupProbe;
  if (!readinessProbe) slot.status.ready = slot.status.started;

  const start = (kind: ProbeKind, probe: any, /** Whether to go on probing. */ onResult: (ok: boolean) => boolean) => {
    const w: Worker = { stopped: false, now: () => schedule(0) };
    workers.push(w);
    const period = positive(probe.periodSeconds, 10) * 1000;
    const failureThreshold = positive(probe.failureThreshold, 3);
    const successThreshold = positive(probe.successThreshold, 1);
    let last: 'success' | 'failure' | undefined;
    let run = 0;
    const tick = async () => {
      if (w.stopped || !alive()) return;
      // Liveness and readiness wait for the startup probe.
      if (kind !== 'startup' && !slot.status.started) return schedule(period);
      const outcome = await runProbe(ctx.runtime, ctx.pod(), slot.spec, running, kind, probe).catch((error) => ({
        result: 'unknown' as const,
        message: String(error?.message ?? error),
      }));
      if (w.stopped || !alive()) return;
      if (outcome.result === 'unknown') {
        ctx.emit({
          type: 'Warning',
          reason: 'Unhealthy',
          message: `${title[kind]} probe errored and resulted in unknown state: ${outcome.message}`,
        });
        return schedule(period);
      }
      if (outcome.result === 'failure') {
        ctx.emit({ type: 'Warning', reason: 'Unhealthy', message: `${title[kind]} probe failed: ${outcome.message}` });
      }
      if (outcome.result === last) run++;
      else {
        last = outcome.result;
        run = 1;
      }
      const threshold = outcome.result === 'failure' ? failureThreshold : successThreshold;
      if (run >= threshold && !onResult(outcome.result === 'success')) return;
      schedule(period);
    };
    const schedule = (ms: number) => {
      clearTimeout(w.timer);
      if (w.stopped) return;
      w.timer = setTimeout(() => void tick(), ms);
      w.timer.unref?.();
    };
    const due = running.startedAt.getTime() + positive(probe.initialDelaySeconds, 0) * 1000;
    schedule(Math.max(0, due - Date.now()));
    return w;
  };

  let readiness: Worker | undefined;
  let liveness: Worker | undefined;
  if (startupProbe) {
    start('startup', startupProbe, (ok) => {
      if (!ok) {
        ctx.failed('startup');
        return false;
      }
      slot.status.started = true;
      if (!readinessProbe) slot.status.ready = true;
      ctx.changed();
      readiness?.now();
      liveness?.now();
      return false;
    });
  }
  if (livenessProbe) {
    liveness = start('liveness', livenessProbe, (ok) => {
      if (!ok) ctx.failed('liveness');
      return ok;
    });
  }
  if (readinessProbe) {
    readiness = start('readiness', readinessProbe, (ok) => {
      if (ok !== slot.status.ready) {
        slot.status.ready = ok;
        ctx.changed();
      }
      return true;
    });
  }
}

export function stopProbes(slot: Slot): void {
  slot.probes?.stop();
  slot.probes = undefined;
}

/** How long a container failing `kind` gets to stop: the probe's own terminationGracePeriodSeconds, else the pod's. */
export function probeGraceSeconds(slot: Slot, pod: SandboxPod, kind: 'liveness' | 'startup'): number {
  const own = slot.spec[`${kind}Probe`]?.terminationGracePeriodSeconds;
  if (typeof own === 'number' && own >= 0) return own;
  const spec = pod.pod.spec?.terminationGracePeriodSeconds;
  return typeof spec === 'number' && spec >= 0 ? spec : 30;
}

export { timeoutSecondsOf };
