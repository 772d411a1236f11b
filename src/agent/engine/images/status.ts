// The `image` and `imageID` a container status shows, as containerd's CRI reports them to the kubelet: the normalised
// reference when it is one of the image's tags (else its first tag, also for a pod that names it by digest), and the
// repository digest (else the image ID).
import type { Image } from '../cri/types.js';
import { repositoryOf } from './reference.js';

export interface StatusImage {
  image: string;
  imageID: string;
}

/** `normalized` is the pod's reference after normalizeImageReference; `imageRef` the ID the presence check found. */
export function statusImageOf(normalized: string, imageRef: string, found: Image | null): StatusImage {
  const repository = repositoryOf(normalized);
  const tags = found?.repoTags ?? [];
  const digests = found?.repoDigests ?? [];
  return {
    image: tags.includes(normalized) ? normalized : (tags[0] ?? normalized),
    imageID: digests.find((d) => d.startsWith(`${repository}@`)) ?? digests[0] ?? imageRef,
  };
}
