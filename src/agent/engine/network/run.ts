// Runs a host tool (ip, nsenter, ctr…) and fails with its stderr in the message; `tryRun` for clean-up steps that
// may find nothing to clean.
import { execFile } from 'node:child_process';

export function run(file: string, args: string[], input?: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')}: ${String(stderr).trim() || error.message}`));
      else resolve(String(stdout));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

export async function tryRun(file: string, args: string[]): Promise<boolean> {
  try {
    await run(file, args);
    return true;
  } catch {
    return false;
  }
}
