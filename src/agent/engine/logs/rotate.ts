// Rotates running containers' CRI logs by size like the kubelet: a log over `maxBytes` is renamed to
// `<log>.<UTC yyyymmdd-hhmmss>`, containerd is asked to reopen it, and only the newest `maxFiles - 1` rotated files stay.
import { renameSync, rmSync, statSync } from 'node:fs';
import type { CriClient } from '../cri/client.js';
import { rotatedFiles } from './reader.js';

export interface RotateOptions {
  maxBytes?: number;
  maxFiles?: number;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** Rotates one container's log if it is too big; resolves to true when it rotated. */
export async function rotateContainerLog(
  cri: CriClient,
  containerId: string,
  logPath: string,
  { maxBytes = 10 * 1024 * 1024, maxFiles = 5 }: RotateOptions = {},
  now = new Date(),
): Promise<boolean> {
  let size = 0;
  try {
    size = statSync(logPath).size;
  } catch {
    return false;
  }
  if (size <= maxBytes) return false;
  let target = `${logPath}.${stamp(now)}`;
  for (let n = 1; rotatedFiles(logPath).includes(target); n++) target = `${logPath}.${stamp(now)}.${n}`;
  renameSync(logPath, target);
  try {
    await cri.reopenContainerLog(containerId);
  } catch (error) {
    renameSync(target, logPath);
    throw error;
  }
  const rotated = rotatedFiles(logPath);
  for (const old of rotated.slice(0, Math.max(0, rotated.length - (maxFiles - 1)))) rmSync(old, { force: true });
  return true;
}

/** Checks every running container's log every `intervalMs`; returns a stop function. */
export function startLogRotation(cri: CriClient, options: RotateOptions & { intervalMs?: number } = {}): () => void {
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      for (const c of await cri.listContainers({ state: 'CONTAINER_RUNNING' })) {
        const status = await cri.containerStatus(c.id).catch(() => undefined);
        if (status?.logPath) await rotateContainerLog(cri, c.id, status.logPath, options).catch(() => {});
      }
    } catch {
    } finally {
      busy = false;
    }
  }, options.intervalMs ?? 10_000);
  timer.unref();
  return () => clearInterval(timer);
}
