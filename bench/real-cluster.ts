// What the benches of real pods share: whether this host can run them (root and containerd), and a real
// `skiff up --runtime process` (or another real runtime) with the offline busybox image imported under `image`, ready for a walkthrough.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeBusyboxImage } from '../src/agent/engine/testing/busybox-image.js';
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
