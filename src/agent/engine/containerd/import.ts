// Imports image archives (OCI archive, docker-archive, or an OCI layout directory packed on the fly) into the CRI
// namespace of Skiff's containerd with Debian's `ctr`, unpacked for the overlayfs snapshotter the CRI uses. Every
// image gets its normalised name (images/import-names.ts; docker archives' tags containerd normalises itself) and,
// as a pull would give it, its digest name `<repository>@sha256:…`, so pods find it by either.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { nameIndex, type OciIndex } from '../images/import-names.js';
import { repositoryOf } from '../images/reference.js';
import { run } from '../network/run.js';
import { packOciArchive } from '../oci/layout.js';
import { readTar, writeTar } from '../oci/tar.js';

export const CRI_NAMESPACE = 'k8s.io';

export interface ImportOptions {
  /** The repository for OCI refs that are bare tags: busybox or docker.io/library/busybox. */
  baseName?: string;
}

export interface ImportedImage {
  /** The normalised name: docker.io/library/busybox:bars. */
  name: string;
  /** The manifest digest containerd imported for it. */
  digest: string;
}

/** The archive to hand to ctr: an OCI layout or archive with its index renamed; a docker archive as it is. */
function preparedArchive(source: string, baseName: string | undefined): Buffer | undefined {
  if (statSync(source).isDirectory()) {
    const index = JSON.parse(readFileSync(join(source, 'index.json'), 'utf8')) as OciIndex;
    const archive = readTar(packOciArchive(source));
    return writeTar(archive.map((e) => (e.path === 'index.json' ? { ...e, content: renamed(index, baseName) } : e)));
  }
  let bytes = readFileSync(source);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const entries = readTar(bytes);
  const index = entries.find((e) => e.path.replace(/^\.\//, '') === 'index.json');
  if (!index) return undefined;
  const content = renamed(JSON.parse(String(index.content)), baseName);
  return writeTar(entries.map((e) => (e === index ? { ...e, content } : e)));
}

function renamed(index: OciIndex, baseName: string | undefined): string {
  return JSON.stringify(nameIndex(index, baseName).index);
}

/** Imports `source` (archive file or OCI layout dir); resolves to the images containerd created. */
export async function importImages(
  socketPath: string,
  source: string,
  options: ImportOptions = {},
): Promise<ImportedImage[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'skiff-import-'));
  try {
    let archive = source;
    const prepared = preparedArchive(source, options.baseName);
    if (prepared) {
      archive = join(scratch, 'image.tar');
      writeFileSync(archive, prepared);
    }
    const ctr = ['-a', socketPath, '-n', CRI_NAMESPACE, 'images'];
    const out = await run('ctr', [...ctr, 'import', '--snapshotter', 'overlayfs', archive]);
    const imported = [...out.matchAll(/^unpacking (\S+) \((sha256:[0-9a-f]{64})\)/gm)].map(
      (m): ImportedImage => ({ name: m[1]!, digest: m[2]! }),
    );
    for (const image of imported.filter((i) => !i.name.includes('@'))) {
      await run('ctr', [...ctr, 'tag', '--force', image.name, `${repositoryOf(image.name)}@${image.digest}`]);
    }
    return imported;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
