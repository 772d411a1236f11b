// The part of a node's nodeInfo that says what really runs its pods: the container runtime and its version, the
// host's kernel (uname -r) and OS (PRETTY_NAME of /etc/os-release). Whoever creates a Node writes EKS-shaped values;
// the agent carrying it puts these in their place with its heartbeats.
import { readFileSync } from 'node:fs';
import { release } from 'node:os';

export interface NodeRuntimeInfo {
  containerRuntimeVersion: string;
  kernelVersion: string;
  osImage: string;
}

/** PRETTY_NAME from an os-release file's text ("Debian GNU/Linux 12 (bookworm)"), or `fallback`. */
export function prettyName(osRelease: string, fallback = 'Linux'): string {
  const line = /^PRETTY_NAME=(.*)$/m.exec(osRelease)?.[1]?.trim();
  return line ? line.replace(/^(["'])(.*)\1$/, '$2') : fallback;
}

export function hostOsImage(): string {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return prettyName(readFileSync(path, 'utf8'));
    } catch {}
  }
  return `${process.platform}`;
}

/** This host's kernel and OS under `containerRuntimeVersion` ("containerd://1.6.20"). */
export function hostNodeInfo(containerRuntimeVersion: string): NodeRuntimeInfo {
  return { containerRuntimeVersion, kernelVersion: release(), osImage: hostOsImage() };
}

/** The fields of `wanted` that `current` (a Node's status.nodeInfo) lacks or has otherwise; undefined when none. */
export function nodeInfoChanges(
  current: Record<string, unknown> | undefined,
  wanted: NodeRuntimeInfo | undefined,
): Partial<NodeRuntimeInfo> | undefined {
  if (!wanted) return undefined;
  const changes = Object.fromEntries(Object.entries(wanted).filter(([key, value]) => current?.[key] !== value));
  return Object.keys(changes).length ? changes : undefined;
}
