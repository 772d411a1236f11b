// The exec handler: the command run in the container through the runtime, exit 0 passes; the output is the
// message, and a command that outlives the timeout fails with the kubelet's `command "…" timed out`.
import type { SandboxPod } from '../../driver.js';
import { type Container, ExecTimeoutError, type RunningContainer, type SandboxRuntime } from '../runtime.js';
import { failure, type Outcome, success, unknown } from './outcome.js';

export async function execIn(
  runtime: SandboxRuntime,
  pod: SandboxPod,
  container: Container,
  running: RunningContainer,
  command: string[],
  timeoutSeconds: number,
): Promise<Outcome & { exitCode?: number }> {
  if (!runtime.exec) return unknown('the sandbox runtime cannot run commands in containers');
  try {
    const result = await runtime.exec(pod, container, running, command, timeoutSeconds);
    const outcome = result.exitCode === 0 ? success(result.output) : failure(result.output);
    return { ...outcome, exitCode: result.exitCode };
  } catch (error: any) {
    if (error instanceof ExecTimeoutError) return failure(`command "${command.join(' ')}" timed out`);
    return unknown(error?.message ?? String(error));
  }
}
