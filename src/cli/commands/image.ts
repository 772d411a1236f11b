// `skiff image pull|ls|rm|import`: manages the images of a running Skiff's containerd (D/containerd) through its CRI,
// with per-layer progress while pulling (from containerd's active transfers) and offline import of OCI layouts,
// OCI archives and docker archives. Every reference given or shown is normalised by docker's rules
// (agent/engine/images/reference.ts), so `busybox:bars` and `docker.io/library/busybox:bars` name the same image.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { importImages } from '../../agent/engine/containerd/import.js';
import { removeImage } from '../../agent/engine/containerd/remove.js';
import { CriClient } from '../../agent/engine/cri/client.js';
import { CriError } from '../../agent/engine/cri/errors.js';
import type { Image } from '../../agent/engine/cri/types.js';
import { ImportNameError } from '../../agent/engine/images/import-names.js';
import {
  familiarImageReference,
  InvalidImageReference,
  normalizeImageReference,
} from '../../agent/engine/images/reference.js';
import { run } from '../../agent/engine/network/run.js';
import { enginePaths } from '../../agent/engine/paths.js';
import { dataPaths, defaultDataDir } from '../config.js';
import { CliError } from '../errors.js';

interface DataDirOption {
  dataDir?: string;
}

function socketOf(options: DataDirOption): string {
  const dataDir = options.dataDir ?? defaultDataDir();
  const socket = enginePaths(dataPaths(dataDir).containerd).socket;
  if (!existsSync(socket)) {
    throw new CliError(`no running Skiff containerd at ${socket}: start one with \`skiff up --data-dir ${dataDir}\``);
  }
  return socket;
}

async function withCri<T>(options: DataDirOption, fn: (cri: CriClient, socket: string) => Promise<T>): Promise<T> {
  const socket = socketOf(options);
  const cri = new CriClient(socket);
  try {
    return await fn(cri, socket);
  } catch (error) {
    if (error instanceof CriError) throw new CliError(error.details);
    throw error;
  } finally {
    cri.close();
  }
}

export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(n < 10 ? 2 : 1)}${units[i]}`;
}

/** Prints each layer download containerd has in flight, whenever its byte count changes. */
function watchTransfers(socket: string, write: (line: string) => void): () => void {
  const seen = new Map<string, string>();
  const timer = setInterval(async () => {
    const out = await run('ctr', ['-a', socket, '-n', 'k8s.io', 'content', 'active']).catch(() => '');
    for (const line of out.split('\n').slice(1)) {
      const [ref, size] = line.trim().split(/\s+/);
      if (!ref || !size || seen.get(ref) === size) continue;
      seen.set(ref, size);
      write(`${ref.replace(/^(layer|manifest|config|index)-sha256:(.{12}).*/, '$1 $2')}: ${size} downloaded`);
    }
  }, 200);
  return () => clearInterval(timer);
}

/** A reference as typed, normalised; an invalid one is refused with docker's words. */
function normalizedOrRefused(ref: string): string {
  try {
    return normalizeImageReference(ref);
  } catch (error) {
    if (error instanceof InvalidImageReference) throw new CliError(`${ref}: ${error.message}`);
    throw error;
  }
}

const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 13);

/** The image `ref` names, as `skiff image ls` shows it: a reference (normalised), or an image ID or its prefix. */
export async function findImage(cri: CriClient, ref: string): Promise<Image | null> {
  const bareId = ref.replace(/^sha256:/, '');
  const images = await cri.listImages();
  if (/^[0-9a-f]{12,64}$/.test(bareId)) {
    const byId = images.filter((i) => i.id.replace(/^sha256:/, '').startsWith(bareId));
    if (byId.length === 1) return byId[0]!;
  }
  const normalized = normalizedOrRefused(ref);
  const named = (name: string) => {
    try {
      return normalizeImageReference(name) === normalized;
    } catch {
      return name === ref;
    }
  };
  return images.find((i) => [...i.repoTags, ...i.repoDigests].some(named)) ?? (await cri.imageStatus(normalized));
}

/** The rows of `skiff image ls`: one per tag (normalised), or per digest name for an image without tags. */
export function imageRows(images: Image[]): string[][] {
  const rows: string[][] = [];
  for (const img of images) {
    const names = img.repoTags.length ? img.repoTags : img.repoDigests;
    for (const raw of names) {
      let name = raw;
      try {
        name = normalizeImageReference(raw);
      } catch {}
      const at = name.indexOf('@');
      const colon = name.lastIndexOf(':');
      const [repo, tag] = at >= 0 ? [name.slice(0, at), '<none>'] : [name.slice(0, colon), name.slice(colon + 1)];
      rows.push([repo, tag, shortId(img.id), humanSize(Number(img.size))]);
    }
  }
  return rows;
}

export function register(program: Command): void {
  const image = program.command('image').description("Manage the images of Skiff's container engine");
  const dataDirFlag = ['--data-dir <dir>', "Skiff's data dir (default ~/.skiff or $SKIFF_DATA_DIR)"] as const;

  image
    .command('pull <ref>')
    .description('Pull an image (through registries.yaml mirrors), showing per-layer progress')
    .option(...dataDirFlag)
    .option('--creds <user:password>', 'Registry credentials')
    .action(async (ref: string, options: DataDirOption & { creds?: string }) => {
      const auth = options.creds
        ? {
            username: options.creds.slice(0, options.creds.indexOf(':')),
            password: options.creds.slice(options.creds.indexOf(':') + 1),
          }
        : undefined;
      await withCri(options, async (cri, socket) => {
        const started = Date.now();
        const stop = watchTransfers(socket, (line) => process.stdout.write(`${line}\n`));
        try {
          const id = await cri.pullImage(normalizedOrRefused(ref), auth);
          const status = await cri.imageStatus(id);
          const seconds = ((Date.now() - started) / 1000).toFixed(3);
          process.stdout.write(`pulled ${ref} ${id} (${humanSize(Number(status?.size ?? 0))}) in ${seconds}s\n`);
        } finally {
          stop();
        }
      });
    });

  image
    .command('ls')
    .alias('list')
    .description('List images')
    .option(...dataDirFlag)
    .action(async (options: DataDirOption) => {
      await withCri(options, async (cri) => {
        const rows = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE'], ...imageRows(await cri.listImages())];
        const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
        for (const row of rows)
          process.stdout.write(
            `${row
              .map((c, i) => c.padEnd(widths[i]!))
              .join('   ')
              .trimEnd()}\n`,
          );
      });
    });

  image
    .command('rm <refs...>')
    .alias('remove')
    .description('Remove images')
    .option(...dataDirFlag)
    .action(async (refs: string[], options: DataDirOption) => {
      await withCri(options, async (cri, socket) => {
        for (const ref of refs) {
          const found = await findImage(cri, ref);
          if (!found) throw new CliError(`no image ${ref}: see \`skiff image ls\``);
          await removeImage(socket, cri, found).catch((error: Error) => {
            throw new CliError(`could not remove ${ref}: ${error.message}`);
          });
          process.stdout.write(`Deleted: ${ref}\n`);
        }
      });
    });

  image
    .command('import <path>')
    .description('Import an OCI layout directory, an OCI archive or a docker archive (no registry needed)')
    .option(...dataDirFlag)
    .option('--base-name <repo>', 'Repository for OCI refs that are bare tags (busybox or docker.io/library/busybox)')
    .action(async (path: string, options: DataDirOption & { baseName?: string }) => {
      const source = resolve(path);
      if (!existsSync(source)) throw new CliError(`${path} does not exist: give an OCI layout dir or an image tar`);
      if (statSync(source).isDirectory() && !existsSync(join(source, 'index.json'))) {
        throw new CliError(`${path} is a directory without index.json: not an OCI image layout`);
      }
      const socket = socketOf(options);
      const images = await importImages(socket, source, { baseName: options.baseName }).catch((error: Error) => {
        if (error instanceof ImportNameError) throw new CliError(`cannot name the image in ${path}: ${error.message}`);
        throw new CliError(`import of ${path} failed: ${error.message.split('\n')[0]}`);
      });
      if (images.length === 0) {
        throw new CliError(`${path} holds no named image: pass --base-name <repository> (e.g. --base-name busybox)`);
      }
      for (const { name } of images) {
        process.stdout.write(`imported ${name}; pods use image: ${familiarImageReference(name)}\n`);
      }
    });
}
