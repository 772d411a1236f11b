// Image garbage collection by disk thresholds, as the kubelet does it: when the image filesystem is at or above
// `highPercent` used, remove images no container uses, least recently used first, until usage is at `lowPercent`.
import { statfsSync } from 'node:fs';
import type { CriClient } from '../cri/client.js';

export interface DiskUsage {
  capacityBytes: number;
  availableBytes: number;
}

export interface ImageGcOptions {
  highPercent?: number;
  lowPercent?: number;
  /** Images never removed (the sandbox image). */
  keep?: string[];
  /** Disk usage of the image filesystem; statfs of its mountpoint by default. */
  usage?: (mountpoint: string) => DiskUsage;
  now?: () => number;
}

function statfsUsage(mountpoint: string): DiskUsage {
  const s = statfsSync(mountpoint);
  return { capacityBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize };
}

export class ImageGarbageCollector {
  private readonly lastUsed = new Map<string, number>();

  constructor(
    private readonly cri: CriClient,
    private readonly options: ImageGcOptions = {},
  ) {}

  /** Runs one pass; resolves to the image IDs removed. */
  async collect(): Promise<string[]> {
    const { highPercent = 85, lowPercent = 80, keep = [], usage = statfsUsage, now = Date.now } = this.options;
    const [fs] = await this.cri.imageFsInfo();
    if (!fs?.fsId?.mountpoint) return [];
    const images = await this.cri.listImages();
    const inUse = new Set((await this.cri.listContainers()).map((c) => c.imageRef));
    const t = now();
    for (const image of images) {
      if (inUse.has(image.id) || !this.lastUsed.has(image.id)) this.lastUsed.set(image.id, t);
    }
    const { capacityBytes, availableBytes } = usage(fs.fsId.mountpoint);
    let used = capacityBytes - availableBytes;
    if ((used * 100) / capacityBytes < highPercent) return [];
    const target = (capacityBytes * lowPercent) / 100;
    const candidates = images
      .filter((i) => !inUse.has(i.id) && !i.repoTags.some((tag) => keep.includes(tag)))
      .sort((a, b) => this.lastUsed.get(a.id)! - this.lastUsed.get(b.id)!);
    const removed: string[] = [];
    for (const image of candidates) {
      if (used <= target) break;
      await this.cri.removeImage(image.id);
      this.lastUsed.delete(image.id);
      removed.push(image.id);
      used -= Number(image.size);
    }
    return removed;
  }
}
