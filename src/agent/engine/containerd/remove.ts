// Removes an image with every name it has. An image `ctr` imported under a short name (`import-2025-01-01:tag`,
// `busybox:tag`) is listed by the CRI under the normalised name, which containerd does not hold, so the CRI's
// RemoveImage leaves it (and its cache of it) behind: such names are first renamed to their normalised form with
// `ctr`, then the CRI removes the image as usual.
import type { CriClient } from '../cri/client.js';
import type { Image } from '../cri/types.js';
import { normalizeImageReference } from '../images/reference.js';
import { run } from '../network/run.js';
import { CRI_NAMESPACE } from './import.js';

const stillThere = async (cri: CriClient, id: string) => (await cri.listImages()).some((i) => i.id === id);

/** Whether the image is still listed after waiting up to `ms` for it to go. */
async function outlasts(cri: CriClient, id: string, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; await stillThere(cri, id); ) {
    if (Date.now() > deadline) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

const normalizedOrNot = (name: string) => {
  try {
    return normalizeImageReference(name);
  } catch {
    return undefined;
  }
};

/** Resolves once the image is gone; rejects when it is not. */
export async function removeImage(socketPath: string, cri: CriClient, image: Image): Promise<void> {
  const ctr = (...args: string[]) => run('ctr', ['-a', socketPath, '-n', CRI_NAMESPACE, 'images', ...args]);
  const listed = new Set([...image.repoTags, ...image.repoDigests]);
  for (const name of (await ctr('ls', '-q')).split('\n').filter(Boolean)) {
    const normalized = normalizedOrNot(name);
    if (!normalized || normalized === name || !listed.has(normalized)) continue;
    await ctr('tag', '--force', name, normalized);
    await ctr('rm', name);
  }
  await cri.removeImage(image.id);
  if (await outlasts(cri, image.id, 3000)) throw new Error(`image ${image.id} is still there`);
}
