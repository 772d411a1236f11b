// A command run to completion in a process-runtime container through CRI ExecSync (exec probes and hooks): its
// exit code and its stdout then stderr; containerd's own timeout becomes an ExecTimeoutError.
import type { CriClient } from '../engine/cri/client.js';
import { type ExecResult, ExecTimeoutError } from '../lifecycle/runtime.js';

export async function execSync(
  cri: CriClient,
  id: string,
  command: string[],
  timeoutSeconds: number,
): Promise<ExecResult> {
  try {
    const result = await cri.execSync(id, command, timeoutSeconds);
    return { exitCode: result.exitCode, output: Buffer.concat([result.stdout, result.stderr]).toString('utf8') };
  } catch (error: any) {
    const text = `${error?.details ?? ''} ${error?.message ?? ''}`;
    if (timeoutSeconds > 0 && /timeout .*exceeded|deadline exceeded/i.test(text)) throw new ExecTimeoutError(text);
    throw error;
  }
}
