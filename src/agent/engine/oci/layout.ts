// Writes an OCI image layout (oci-layout, index.json, blobs/sha256/…) from layers given as tar entries: each layer
// is gzipped reproducibly, its diff_id and digest recorded in the config and manifest. Also packs a layout into an
// OCI archive (a tar of the layout) that containerd can import.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type TarEntry, writeTar } from './tar.js';

export interface ImageSpecInput {
  /** Full reference the image is known by, e.g. docker.io/library/busybox:1.36. */
  name: string;
  layers: TarEntry[][];
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
}

export interface WrittenImage {
  manifestDigest: string;
  configDigest: string;
  layerDigests: string[];
  /** Sum of the compressed layers, the config and the manifest, in bytes. */
  size: number;
}

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

function writeBlob(dir: string, data: Buffer): { digest: string; size: number } {
  const digest = sha256(data);
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  writeFileSync(join(blobs, digest.slice(7)), data);
  return { digest, size: data.length };
}

/** The tag part of a reference (`latest` when it has none). */
export function tagOf(name: string): string {
  const last = name.slice(name.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon >= 0 ? last.slice(colon + 1) : 'latest';
}

/** Layers already packed in this process, by the entries array: images that share a layer pack it once. */
const packedLayers = new WeakMap<TarEntry[], { diffId: string; digest: string; size: number }>();

/** Writes the image into the OCI layout at `dir` (created if needed; other images in index.json are kept). */
export function writeOciImage(dir: string, image: ImageSpecInput): WrittenImage {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`);
  const layers = image.layers.map((entries) => {
    const known = packedLayers.get(entries);
    if (known && statSync(join(dir, 'blobs', 'sha256', known.digest.slice(7)), { throwIfNoEntry: false })) return known;
    const tar = writeTar(entries);
    const gz = gzipSync(tar, { level: 6 });
    const layer = { diffId: sha256(tar), ...writeBlob(dir, gz) };
    packedLayers.set(entries, layer);
    return layer;
  });
  const config = {
    created: '1970-01-01T00:00:00Z',
    architecture: 'amd64',
    os: 'linux',
    config: {
      Env: image.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ...(image.entrypoint ? { Entrypoint: image.entrypoint } : {}),
      ...(image.cmd ? { Cmd: image.cmd } : {}),
      ...(image.workingDir ? { WorkingDir: image.workingDir } : {}),
    },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map(() => ({ created: '1970-01-01T00:00:00Z', created_by: 'skiff oci writer' })),
  };
  const configBlob = writeBlob(dir, Buffer.from(JSON.stringify(config)));
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configBlob },
    layers: layers.map((l) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: l.digest,
      size: l.size,
    })),
  };
  const manifestBlob = writeBlob(dir, Buffer.from(JSON.stringify(manifest)));
  const indexPath = join(dir, 'index.json');
  const index = statSync(indexPath, { throwIfNoEntry: false })
    ? JSON.parse(readFileSync(indexPath, 'utf8'))
    : { schemaVersion: 2, manifests: [] };
  index.manifests = index.manifests.filter((m: any) => m.annotations?.['io.containerd.image.name'] !== image.name);
  index.manifests.push({
    mediaType: manifest.mediaType,
    ...manifestBlob,
    platform: { architecture: 'amd64', os: 'linux' },
    annotations: { 'io.containerd.image.name': image.name, 'org.opencontainers.image.ref.name': tagOf(image.name) },
  });
  writeFileSync(indexPath, `${JSON.stringify(index)}\n`);
  return {
    manifestDigest: manifestBlob.digest,
    configDigest: configBlob.digest,
    layerDigests: layers.map((l) => l.digest),
    size: layers.reduce((n, l) => n + l.size, 0) + configBlob.size + manifestBlob.size,
  };
}

/** The OCI archive of a layout directory: a tar of every file in it. */
export function packOciArchive(dir: string): Buffer {
  const entries: TarEntry[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const rel = relative(dir, full);
      if (statSync(full).isDirectory()) {
        entries.push({ path: rel, type: 'dir' });
        walk(full);
      } else entries.push({ path: rel, type: 'file', content: readFileSync(full) });
    }
  };
  walk(dir);
  return writeTar(entries);
}
