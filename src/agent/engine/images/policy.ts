// imagePullPolicy as the kubelet applies it: the default (Always for `:latest` or no tag, else IfNotPresent) and
// whether a pull is needed given that the image is or is not present.
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** The tag of an image reference, '' when it is pinned by digest only, 'latest' when it has none. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const last = name.slice(name.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  if (colon >= 0) return last.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

/** The API server's defaulting: Always when the tag is `latest` (or absent and no digest), else IfNotPresent. */
export function defaultPullPolicy(image: string): PullPolicy {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

export function shouldPull(policy: PullPolicy | undefined, image: string, present: boolean): boolean {
  switch (policy ?? defaultPullPolicy(image)) {
    case 'Always':
      return true;
    case 'Never':
      return false;
    default:
      return !present;
  }
}
