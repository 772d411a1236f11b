// At `skiff up` on the process runtime: the add-on images go into Skiff's containerd before the agent runs a pod,
// so the add-ons' pods find them (imagePullPolicy IfNotPresent) and nothing is pulled from ECR. Images containerd
// already has are left alone.
import type { ContainerEngine } from '../../agent/engine/engine.js';
import { ensureAddonLayout } from './build.js';

export async function importAddonImages(engine: ContainerEngine, images: string[]): Promise<void> {
  const missing: string[] = [];
  for (const image of images) if (!(await engine.cri.imageStatus(image))) missing.push(image);
  if (missing.length === 0) return;
  const layout = await ensureAddonLayout(images);
  await engine.importImages(layout.dir);
}
