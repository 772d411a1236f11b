// What the benches of real pods share: whether this host can run them (root and containerd), and a real
// `skiff up --runtime process` (or another real runtime) with the offline busybox image imported under `image`, ready for a walkthrough.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeBusyboxImage } from '../src/agent/engine/testing/busybox-image.js';
import type { KubeObject } from '../src/kube/api/types.js';
import type { HttpKubeClient } from '../src/kube/client/http.js';
import { type Walkthrough, walkthrough } from '../test/e2e/harness/cluster.js';
import { type SkiffProcess, startSkiff } from '../test/e2e/harness/skiff.js';

export const canRunRealPods = () => process.getuid?.() === 0 && existsSync('/usr/bin/containerd');

/** Starts the cluster and imports busybox as `image`; the caller stops `skiff`. */
export async function startBusyboxCluster(
  image: string,
  runtime = 'process',
): Promise<{ skiff: SkiffProcess; w: Walkthrough }> {
  const skiff = await startSkiff(['--runtime', runtime]);
  try {
    const layout = join(skiff.dataDir, 'busybox-layout');
    writeBusyboxImage(layout, image, 'bench');
    await skiff.importImage(layout);
    return { skiff, w: await walkthrough(skiff) };
  } catch (error) {
    await skiff.stop();
    throw error;
  }
}

/** Watches `namespace` and resolves each pod's wait when it is first seen Running (the time is kept per pod). */
export async function runningWatch(client: HttpKubeClient, namespace: string) {
  const runningAt = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const watcher = await client.watch({ apiVersion: 'v1', kind: 'Pod', namespace }, {}, (event) => {
    const p = event.object as KubeObject;
    const name = p.metadata.name as string;
    if (p.status?.phase !== 'Running' || runningAt.has(name)) return;
    runningAt.set(name, performance.now());
    waiters.get(name)?.();
  });
  return {
    runningAt,
    running: (name: string) =>
      runningAt.has(name) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(name, resolve)),
    close: () => watcher.close(),
  };
}
