// Imports image archives (OCI archive, docker-archive, or an OCI layout directory packed on the fly) into the CRI
// namespace of Skiff's containerd with Debian's `ctr`, unpacked for the overlayfs snapshotter the CRI uses.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../network/run.js';
import { packOciArchive } from '../oci/layout.js';

export const CRI_NAMESPACE = 'k8s.io';

export interface ImportOptions {
  /** For OCI archives whose refs are bare tags: the repository to put in front (ctr's --base-name). */
  baseName?: string;
}

/** Imports `source` (archive file or OCI layout dir); resolves to the image names containerd created. */
export async function importImages(socketPath: string, source: string, options: ImportOptions = {}): Promise<string[]> {
  let archive = source;
  let scratch: string | undefined;
  if (statSync(source).isDirectory()) {
    scratch = mkdtempSync(join(tmpdir(), 'skiff-import-'));
    archive = join(scratch, 'image.tar');
    writeFileSync(archive, packOciArchive(source));
  }
  try {
    const args = ['-a', socketPath, '-n', CRI_NAMESPACE, 'images', 'import', '--snapshotter', 'overlayfs'];
    if (options.baseName) args.push('--base-name', options.baseName);
    const out = await run('ctr', [...args, archive]);
    return [...out.matchAll(/^unpacking (\S+) \(/gm)].map((m) => m[1]!);
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
