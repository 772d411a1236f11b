// Makes sure a container's image is there before it starts, as the kubelet does: applies the pull policy, the
// per-image back-off, the pull secrets, and reports every step to an event sink with the kubelet's own words. The
// reference is normalised (reference.ts) before the presence check and the pull; events quote it as the pod wrote it.

import type { CriClient } from '../cri/client.js';
import { CriError } from '../cri/errors.js';
import type { AuthConfig, PodSandboxConfig } from '../cri/types.js';
import { authsForImage, type PullSecret } from './auth.js';
import { PullBackOff } from './backoff.js';
import { type EventSink, imageEvents } from './events.js';
import { type PullPolicy, shouldPull } from './policy.js';
import { InvalidImageReference, normalizeImageReference } from './reference.js';

export interface EnsureImageRequest {
  image: string;
  policy?: PullPolicy;
  pullSecrets?: PullSecret[];
  /** Back-off bucket, e.g. `<pod uid>/<container name>`; defaults to the image. */
  backOffKey?: string;
  sandboxConfig?: PodSandboxConfig;
}

export type EnsureImageResult =
  | { ok: true; imageRef: string; pulled: boolean }
  | {
      ok: false;
      reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName';
      message: string;
    };

export class ImagePuller {
  constructor(
    private readonly cri: CriClient,
    readonly backOff = new PullBackOff(),
  ) {}

  async ensureImage(request: EnsureImageRequest, sink: EventSink): Promise<EnsureImageResult> {
    const started = Date.now();
    const { image } = request;
    let normalized: string;
    try {
      normalized = normalizeImageReference(image);
    } catch (error) {
      if (!(error instanceof InvalidImageReference)) throw error;
      const event = imageEvents.invalidName(image, error.message);
      sink(event);
      return { ok: false, reason: 'InvalidImageName', message: event.message };
    }
    const key = `${request.backOffKey ?? ''}/${normalized}`;
    const present = await this.cri.imageStatus(normalized);
    if (!shouldPull(request.policy, image, !!present)) {
      if (present) {
        sink(imageEvents.present(image));
        return { ok: true, imageRef: present.id, pulled: false };
      }
      const message = imageEvents.neverPull(image).message;
      sink(imageEvents.neverPull(image));
      return { ok: false, reason: 'ErrImageNeverPull', message };
    }
    if (this.backOff.inBackOff(key)) {
      sink(imageEvents.backOff(image));
      sink(imageEvents.errorReason('ImagePullBackOff'));
      return { ok: false, reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` };
    }
    sink(imageEvents.pulling(image));
    const pullStarted = Date.now();
    try {
      const imageRef = await this.pullWithAuths(
        normalized,
        authsForImage(normalized, request.pullSecrets ?? []),
        request.sandboxConfig,
      );
      this.backOff.succeeded(key);
      const done = Date.now();
      const size = (await this.cri.imageStatus(imageRef).catch(() => null))?.size ?? '0';
      sink(imageEvents.pulled(image, done - pullStarted, done - started, size));
      return { ok: true, imageRef, pulled: true };
    } catch (error) {
      const detail = error instanceof CriError ? error.details : String(error);
      this.backOff.failed(key);
      sink(imageEvents.failed(image, detail));
      sink(imageEvents.errorReason('ErrImagePull'));
      return { ok: false, reason: 'ErrImagePull', message: detail };
    }
  }

  /** Tries each matching credential in turn (then none, when no secret matched). */
  private async pullWithAuths(image: string, auths: AuthConfig[], sandbox?: PodSandboxConfig): Promise<string> {
    let last: unknown;
    for (const auth of auths.length ? auths : [undefined]) {
      try {
        return await this.cri.pullImage(image, auth, sandbox);
      } catch (error) {
        last = error;
      }
    }
    throw last;
  }
}
