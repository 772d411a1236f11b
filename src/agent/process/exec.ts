// A command run to completion in a process-runtime container through CRI ExecSync (exec probes and hooks): its
// exit code and its stdout then stderr; containerd's own timeout becomes an ExecTimeoutError. Without a timeout
// (hooks) the command is still ended after the kubelet's runtime request timeout.
import type { CriClient } from '../engine/cri/client.js';
import { type ExecResult, ExecTimeoutError } from '../lifecycle/runtime.js';

export const runtimeRequestTimeoutSeconds = 120;

export async function execSync(
  cri: CriClient,
  id: string,
  command: string[],
  timeoutSeconds: number,
): Promise<ExecResult> {
  try {
    // No limit of its own (hooks) still ends with the kubelet's runtime request timeout, 2 minutes.
    const result = await cri.execSync(id, command, timeoutSeconds > 0 ? timeoutSeconds : runtimeRequestTimeoutSeconds);
    return { exitCode: result.exitCode, output: Buffer.concat([result.stdout, result.stderr]).toString('utf8') };
  } catch (error: any) {
    const text = `${error?.details ?? ''} ${error?.message ?? ''}`;
    if (timeoutSeconds > 0 && /timeout .*exceeded|deadline exceeded/i.test(text)) throw new ExecTimeoutError(text);
    throw error;
  }
}
