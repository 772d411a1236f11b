// D/skiff.json: what a running `skiff up` publishes for the other commands (pid, endpoints, cluster name, the
// sandbox runtime it runs).
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isSameProcess, type ProcessIdentity } from './process-identity.js';

export interface RuntimeInfo {
  pid: number;
  name: string;
  region: string;
  kubeEndpoint: string;
  eksEndpoint: string;
  kubeconfig: string;
  /** The sandbox runtime: its name, what the ready line and `skiff status` say of it, why `auto` fell back. */
  runtime?: { name: string; summary: string; fallback?: string };
  startedAt: string;
  /** The process's command line and start time (/proc), so that a PID reused after a crash is told apart. */
  process?: ProcessIdentity;
}

export function readRuntimeInfo(path: string): RuntimeInfo | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RuntimeInfo;
  } catch {
    return undefined;
  }
}

/** Written whole or not at all (a file beside it, renamed over it): a reader never sees half of it. */
export function writeRuntimeInfo(path: string, info: RuntimeInfo): void {
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, path);
}

export function removeRuntimeInfo(path: string): void {
  rmSync(path, { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: any) {
    return error?.code === 'EPERM';
  }
}

/**
 * The running instance for this data dir, or undefined: a stale file from a killed process is ignored, whether its
 * PID is gone or now held by another process (its command line or start time differ from the recorded ones).
 */
export function runningInstance(path: string): RuntimeInfo | undefined {
  const info = readRuntimeInfo(path);
  return info && isAlive(info.pid) && isSameProcess(info.pid, info.process ?? {}) ? info : undefined;
}
