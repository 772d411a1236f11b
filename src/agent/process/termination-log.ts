// Each container instance's termination log, as the kubelet keeps it: a host file per instance,
// D/sandboxes/<pod-uid>/containers/<name>/<attempt>, created writable by any user and bind-mounted at the
// container's terminationMessagePath (default /dev/termination-log); read back (its last 4096 bytes) after the exit.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SandboxPod } from '../driver.js';
import type { ContainerConfig } from '../engine/cri/types.js';
import type { Container } from '../lifecycle/runtime.js';

export const maxTerminationMessageBytes = 4096;
export const defaultTerminationMessagePath = '/dev/termination-log';

export function terminationLogPath(sandboxesDir: string, uid: string, name: string, attempt: number): string {
  return join(sandboxesDir, uid, 'containers', name, String(attempt));
}

const containerPathOf = (container: Container): string =>
  typeof container.terminationMessagePath === 'string'
    ? container.terminationMessagePath
    : defaultTerminationMessagePath;

/** Creates the instance's empty termination log and returns its mount (none when the path is set to ""). */
export function terminationLogMounts(
  sandboxesDir: string | undefined,
  pod: SandboxPod,
  container: Container,
  attempt: number,
): NonNullable<ContainerConfig['mounts']> {
  const containerPath = containerPathOf(container);
  if (!sandboxesDir || !containerPath) return [];
  const hostPath = terminationLogPath(sandboxesDir, pod.uid, container.name, attempt);
  mkdirSync(join(hostPath, '..'), { recursive: true });
  closeSync(openSync(hostPath, 'w'));
  chmodSync(hostPath, 0o666);
  return [{ containerPath, hostPath }];
}

/** The last 4096 bytes the instance wrote to its termination log; undefined when it wrote nothing. */
export async function readTerminationLog(
  sandboxesDir: string,
  pod: SandboxPod,
  container: Container,
  attempt: number | undefined,
): Promise<string | undefined> {
  if (attempt === undefined || !containerPathOf(container)) return undefined;
  const file = await open(terminationLogPath(sandboxesDir, pod.uid, container.name, attempt)).catch(() => undefined);
  if (!file) return undefined;
  try {
    const { size } = await file.stat();
    const length = Math.min(size, maxTerminationMessageBytes);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    return length ? buffer.toString('utf8') : undefined;
  } finally {
    await file.close();
  }
}

export function removeTerminationLogs(sandboxesDir: string, uid: string): Promise<void> {
  return rm(join(sandboxesDir, uid, 'containers'), { recursive: true, force: true });
}
