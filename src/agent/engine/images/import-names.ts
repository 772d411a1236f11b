// The names `skiff image import` gives the images of an OCI index (index.json): the `io.containerd.image.name` or
// `org.opencontainers.image.ref.name` annotation, normalised by docker's rules (reference.ts). A ref name that is a
// bare tag takes the `--base-name` repository; without one it is refused rather than given an invented name.
import { isBareTag, normalizeImageReference, normalizeRepository } from './reference.js';

export const CONTAINERD_NAME = 'io.containerd.image.name';
export const OCI_REF_NAME = 'org.opencontainers.image.ref.name';

export class ImportNameError extends Error {}

interface IndexEntry {
  digest: string;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export interface OciIndex {
  manifests?: IndexEntry[];
  [field: string]: unknown;
}

function normalized(name: string, what: string): string {
  try {
    return normalizeImageReference(name);
  } catch (error) {
    throw new ImportNameError(`${what} "${name}" is not a valid image name: ${(error as Error).message}`);
  }
}

/** The normalised name of one index entry, or undefined when it has none and no base name gives it one. */
function nameOf(entry: IndexEntry, base: string | undefined): string | undefined {
  const containerdName = entry.annotations?.[CONTAINERD_NAME];
  if (containerdName) return normalized(containerdName, CONTAINERD_NAME);
  const refName = entry.annotations?.[OCI_REF_NAME];
  if (refName && !isBareTag(refName)) return normalized(refName, OCI_REF_NAME);
  if (!base) {
    if (!refName) return undefined;
    throw new ImportNameError(
      `the image's ${OCI_REF_NAME} is only the tag "${refName}": pass --base-name <repository> ` +
        `(e.g. --base-name busybox to import it as busybox:${refName})`,
    );
  }
  return refName ? normalized(`${base}:${refName}`, 'the name') : `${base}@${entry.digest}`;
}

/**
 * The index with every image entry named by its full, normalised reference in `io.containerd.image.name` (which
 * containerd's import takes as it is), and those names. `baseName` is a repository: busybox or
 * docker.io/library/busybox alike.
 */
export function nameIndex(index: OciIndex, baseName?: string): { index: OciIndex; names: string[] } {
  let base: string | undefined;
  if (baseName) {
    try {
      base = normalizeRepository(baseName);
    } catch (error) {
      throw new ImportNameError(`--base-name ${baseName}: ${(error as Error).message}`);
    }
  }
  const names: string[] = [];
  const manifests = (index.manifests ?? []).map((entry) => {
    const name = nameOf(entry, base);
    if (!name) return entry;
    names.push(name);
    return { ...entry, annotations: { ...entry.annotations, [CONTAINERD_NAME]: name } };
  });
  return { index: { ...index, manifests }, names };
}
