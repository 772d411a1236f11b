// A container's CRI mounts, as the kubelet makes them (makeMounts): each volumeMount bound from its volume's host
// directory — read-only when asked or when the plugin is (configMap, secret, downwardAPI, projected) — with
// subPath/subPathExpr resolved inside the volume (symlinks followed, so a subPath file is a snapshot that later
// updates do not reach, as the kubelet's), mount propagation, and the pod's /etc/hosts unless the container
// mounts its own.
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { CriMount } from '../engine/cri/types.js';
import type { Container } from '../lifecycle/runtime.js';
import { expand } from './env.js';
import { containerConfigError } from './errors.js';
import type { PodVolumes } from './volumes/pod-volumes.js';

const propagation: Record<string, CriMount['propagation']> = {
  None: 'PROPAGATION_PRIVATE',
  HostToContainer: 'PROPAGATION_HOST_TO_CONTAINER',
  Bidirectional: 'PROPAGATION_BIDIRECTIONAL',
};

function subPathOf(mount: any, env: Map<string, string>): string | undefined {
  if (mount.subPathExpr) return expand(String(mount.subPathExpr), (name) => env.get(name));
  return mount.subPath ? String(mount.subPath) : undefined;
}

export function containerMounts(
  container: Container,
  volumes: PodVolumes,
  env: { key: string; value: string }[],
  etcHosts: string | undefined,
): CriMount[] {
  const vars = new Map(env.map((e) => [e.key, e.value]));
  const mounts: CriMount[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const source = volumes.source(mount.name);
    if (!source)
      throw containerConfigError(`cannot find volume "${mount.name}" to mount into container "${container.name}"`);
    let hostPath = source.hostPath;
    const subPath = subPathOf(mount, vars);
    if (subPath) {
      const clean = normalize(subPath);
      if (clean.startsWith('/') || clean === '..' || clean.startsWith('../')) {
        throw containerConfigError(
          `failed to prepare subPath for volumeMount "${mount.name}" of container "${container.name}"`,
        );
      }
      const target = join(hostPath, clean);
      if (!existsSync(target)) {
        if (source.projected)
          throw containerConfigError(
            `failed to prepare subPath for volumeMount "${mount.name}" of container "${container.name}"`,
          );
        mkdirSync(target, { recursive: true, mode: 0o750 });
      }
      const resolved = realpathSync(target);
      const root = realpathSync(hostPath);
      if (resolved !== root && !resolved.startsWith(`${root}/`)) {
        throw containerConfigError(
          `failed to prepare subPath for volumeMount "${mount.name}" of container "${container.name}"`,
        );
      }
      hostPath = resolved;
    }
    mounts.push({
      containerPath: String(mount.mountPath),
      hostPath,
      readonly: Boolean(mount.readOnly) || source.readOnly,
      selinuxRelabel: false,
      propagation: propagation[mount.mountPropagation ?? 'None'] ?? 'PROPAGATION_PRIVATE',
    });
  }
  if (etcHosts && !mounts.some((m) => m.containerPath === '/etc/hosts')) {
    mounts.push({
      containerPath: '/etc/hosts',
      hostPath: etcHosts,
      readonly: false,
      selinuxRelabel: false,
      propagation: 'PROPAGATION_PRIVATE',
    });
  }
  return mounts;
}
