// The terminated state's message, as the kubelet composes it after an exit: what the runtime says (OOMKilled…),
// then what the container wrote to its terminationMessagePath; with terminationMessagePolicy FallbackToLogsOnError
// and a failed exit, an empty file gives way to the end of the log (the last 80 lines, at most 2048 bytes).
import type { SandboxPod } from '../driver.js';
import type { Container, ContainerExit, SandboxRuntime } from './runtime.js';

export const fallbackLogLines = 80;
export const fallbackLogBytes = 2048;

async function lastLogs(runtime: SandboxRuntime, pod: SandboxPod, container: Container, containerId: string) {
  if (!runtime.logs) return '';
  const ref = { podUid: pod.uid, namespace: pod.namespace, podName: pod.name, container: container.name, containerId };
  let text = '';
  for await (const chunk of runtime.logs(ref, { tailLines: fallbackLogLines })) {
    text += chunk;
    if (Buffer.byteLength(text) >= fallbackLogBytes) break;
  }
  const bytes = Buffer.from(text);
  return bytes.length > fallbackLogBytes ? bytes.subarray(0, fallbackLogBytes).toString('utf8') : text;
}

export async function terminationMessage(
  runtime: SandboxRuntime,
  pod: SandboxPod,
  container: Container,
  containerId: string | undefined,
  exit: ContainerExit,
): Promise<string | undefined> {
  if (!containerId) return exit.message;
  const fallback =
    container.terminationMessagePolicy === 'FallbackToLogsOnError' &&
    exit.exitCode !== 0 &&
    exit.reason !== 'ContainerCannotRun';
  const path = container.terminationMessagePath ?? '/dev/termination-log';
  let written = path ? await runtime.terminationMessage?.(pod, container, containerId).catch(() => undefined) : '';
  if (!written && fallback) written = await lastLogs(runtime, pod, container, containerId).catch(() => '');
  if (!written) return exit.message;
  return exit.message ? `${exit.message}: ${written}` : written;
}
