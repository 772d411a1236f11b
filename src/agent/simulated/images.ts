// Simulated images: references normalised as containerd reports them (engine/images/reference.ts), a cache per host
// (or per node), pulls that take their configured time and emit the kubelet's Pulling/Pulled events, "already
// present", Never, not found. Nothing is downloaded, and every event and image ID says so: no size, no digest.
import type { SandboxEvent, SandboxPod } from '../driver.js';
import { goDuration, type ImageEvent, imageEvents } from '../engine/images/events.js';
import { defaultPullPolicy, type PullPolicy, shouldPull } from '../engine/images/policy.js';
import { InvalidImageReference, normalizeImageReference } from '../engine/images/reference.js';
import { sleep, unlessAborted } from '../lifecycle/container.js';
import { type Container, type ImageRef, LaunchError } from '../lifecycle/runtime.js';
import { imageRepository } from './commands.js';
import { perImage, type SimulatedTimings } from './timings.js';

/** The image as container statuses show it; its ID names the simulated runtime rather than inventing a digest. */
export function imageRefOf(image: string): ImageRef {
  const normalized = normalizeImageReference(image);
  return { image: normalized, imageID: `simulated://${normalized}` };
}

/** A kubelet image event marked as simulated. */
const simulated = (event: ImageEvent): ImageEvent => ({ ...event, message: `${event.message} (simulated)` });

/** The kubelet's Pulled event without the size of an image that was never downloaded. */
function pulledEvent(image: string, pullMs: number, totalMs: number): ImageEvent {
  return {
    type: 'Normal',
    reason: 'Pulled',
    message: `Successfully pulled image "${image}" in ${goDuration(pullMs)} (${goDuration(totalMs)} including waiting) (simulated: nothing was downloaded)`,
  };
}

interface CachedImage {
  present: boolean;
  pulling?: Promise<void>;
  pullStarted?: number;
}

export class SimulatedImages {
  private caches = new Map<string, Map<string, CachedImage>>();

  constructor(private timings: SimulatedTimings) {}

  private cacheOf(pod: SandboxPod): Map<string, CachedImage> {
    const key = this.timings.imageCache === 'node' ? pod.nodeName : '';
    let cache = this.caches.get(key);
    if (!cache) {
      cache = new Map();
      this.caches.set(key, cache);
    }
    return cache;
  }

  /** A Fargate node's cache goes with its pod when caches are per node. */
  forget(pod: SandboxPod): void {
    if (this.timings.imageCache === 'node' && pod.fargate) this.caches.delete(pod.nodeName);
  }

  async ensure(
    pod: SandboxPod,
    container: Container,
    emit: (event: SandboxEvent) => void,
    signal: AbortSignal,
  ): Promise<ImageRef> {
    const image: string = container.image;
    let ref: ImageRef;
    try {
      ref = imageRefOf(image);
    } catch (error) {
      if (!(error instanceof InvalidImageReference)) throw error;
      const event = imageEvents.invalidName(image, error.message);
      emit(event);
      throw new LaunchError('InvalidImageName', event.message);
    }
    const repository = imageRepository(image);
    const cache = this.cacheOf(pod);
    let entry = cache.get(ref.image);
    if (!entry) {
      entry = { present: false };
      cache.set(ref.image, entry);
    }
    const policy: PullPolicy = container.imagePullPolicy ?? defaultPullPolicy(image);
    if (!shouldPull(policy, image, entry.present)) {
      if (entry.present) {
        emit(simulated(imageEvents.present(image)));
        return ref;
      }
      const event = imageEvents.neverPull(image);
      emit(event);
      throw new LaunchError('ErrImageNeverPull', event.message);
    }
    emit(simulated(imageEvents.pulling(image)));
    const requested = Date.now();
    const missing = this.timings.missingImages.some((m) => m === image || m === repository || m === ref.image);
    if (missing) {
      await sleep(this.timings.imageRecheckMs, signal);
      const detail =
        `rpc error: code = NotFound desc = failed to pull and unpack image "${ref.image}": failed to resolve ` +
        `reference "${ref.image}": ${ref.image}: not found (simulated: listed in missingImages)`;
      emit(imageEvents.failed(image, detail));
      emit(imageEvents.errorReason('ErrImagePull'));
      throw new LaunchError('ErrImagePull', detail, 'ImagePullBackOff', imageEvents.backOff(image));
    }
    // Pulls of one image at the same time share one download (containerd fetches each blob once).
    const pullMs = entry.present ? this.timings.imageRecheckMs : perImage(this.timings.imagePullMs, image, repository);
    if (!entry.pulling) {
      const current = entry;
      current.pullStarted = Date.now();
      current.pulling = new Promise<void>((resolve) => setTimeout(resolve, pullMs).unref?.()).then(() => {
        current.present = true;
        current.pulling = undefined;
      });
    }
    const pullStarted = entry.pullStarted ?? requested;
    await unlessAborted(entry.pulling!, signal);
    if (signal.aborted) return ref;
    emit(pulledEvent(image, Date.now() - pullStarted, Date.now() - requested));
    return ref;
  }
}
