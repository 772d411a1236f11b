// postStart and preStop handlers as the kubelet's lifecycle handler runner runs them: exec in the container, httpGet
// to the pod (any answer passes; only a failed request fails), sleep; a failure is the kubelet's message
// ("Exec lifecycle hook ([sh -c …]) for Container "c" in Pod "p_ns(uid)" failed - error: …, message: "…"").
import type { SandboxPod } from '../driver.js';
import { sleep } from './container.js';
import { execIn } from './handlers/exec.js';
import { httpGet } from './handlers/http-get.js';
import { portOf } from './handlers/outcome.js';
import { dialOf } from './handlers/probe.js';
import type { Container, RunningContainer, SandboxRuntime } from './runtime.js';

/** How long an httpGet hook may take (the kubelet's hook HTTP client has no shorter limit than the grace period). */
const httpHookTimeoutMs = 60_000;
/** Exec hooks run without a limit of their own (the kubelet passes 0); the grace period bounds preStop. */
const execHookTimeoutSeconds = 0;

const podRef = (pod: SandboxPod) => `${pod.name}_${pod.namespace}(${pod.uid})`;

/** Runs the hook; resolves to the failure message, or undefined when it passed. `signal` cuts a sleep short. */
export async function runHook(
  runtime: SandboxRuntime,
  pod: SandboxPod,
  container: Container,
  running: RunningContainer,
  handler: any,
  signal: AbortSignal,
): Promise<string | undefined> {
  const where = `for Container "${container.name}" in Pod "${podRef(pod)}" failed`;
  if (handler?.exec) {
    const command: string[] = handler.exec.command ?? [];
    const outcome = await execIn(runtime, pod, container, running, command, execHookTimeoutSeconds);
    if (outcome.result === 'success') return undefined;
    const error =
      outcome.exitCode === undefined
        ? outcome.message
        : `command '${command.join(' ')}' exited with ${outcome.exitCode}: ${outcome.message}`;
    const message = outcome.exitCode === undefined ? '' : outcome.message;
    return `Exec lifecycle hook ([${command.join(' ')}]) ${where} - error: ${error}, message: ${JSON.stringify(message)}`;
  }
  if (handler?.httpGet) {
    const get = handler.httpGet;
    const path = get.path ?? '';
    const port = portOf(container, get.port);
    if (!port) return `HTTP lifecycle hook (${path}) ${where} - error: invalid port ${JSON.stringify(get.port)}`;
    const target = {
      scheme: get.scheme ?? 'HTTP',
      host: get.host || pod.podIP,
      port,
      path,
      headers: get.httpHeaders ?? [],
    };
    const outcome = await httpGet(target, httpHookTimeoutMs, dialOf(runtime, pod));
    if (outcome.statusCode !== undefined) return undefined;
    return `HTTP lifecycle hook (${path}) ${where} - error: ${outcome.message}`;
  }
  if (handler?.sleep) {
    await sleep(Number(handler.sleep.seconds ?? 0) * 1000, signal);
    return undefined;
  }
  return `Cannot run handler: invalid handler: ${JSON.stringify(handler)}`;
}
