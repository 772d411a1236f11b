// `skiff image pull|ls|rm|import`: manages the images of a running Skiff's containerd (D/containerd) through its CRI,
// with per-layer progress while pulling (from containerd's active transfers) and offline import of OCI layouts,
// OCI archives and docker archives.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { importImages } from '../../agent/engine/containerd/import.js';
import { CriClient } from '../../agent/engine/cri/client.js';
import { CriError } from '../../agent/engine/cri/errors.js';
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
          const id = await cri.pullImage(ref, auth);
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
        const rows = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']];
        for (const img of await cri.listImages()) {
          const id = img.id.replace(/^sha256:/, '').slice(0, 13);
          const tags = img.repoTags.length ? img.repoTags : img.repoDigests.map((d) => d.replace(/@.*/, '@<none>'));
          for (const tag of tags) {
            const colon = tag.lastIndexOf(':');
            const at = tag.indexOf('@');
            const [repo, t] = at >= 0 ? [tag.slice(0, at), '<none>'] : [tag.slice(0, colon), tag.slice(colon + 1)];
            rows.push([repo, t, id, humanSize(Number(img.size))]);
          }
        }
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
      await withCri(options, async (cri) => {
        for (const ref of refs) {
          const found = await cri.imageStatus(ref);
          if (!found) throw new CliError(`no image ${ref}: see \`skiff image ls\``);
          await cri.removeImage(found.id);
          process.stdout.write(`Deleted: ${ref}\n`);
        }
      });
    });

  image
    .command('import <path>')
    .description('Import an OCI layout directory, an OCI archive or a docker archive (no registry needed)')
    .option(...dataDirFlag)
    .option('--base-name <repo>', 'Repository for OCI refs that are bare tags (e.g. docker.io/library/app)')
    .action(async (path: string, options: DataDirOption & { baseName?: string }) => {
      const source = resolve(path);
      if (!existsSync(source)) throw new CliError(`${path} does not exist: give an OCI layout dir or an image tar`);
      if (statSync(source).isDirectory() && !existsSync(join(source, 'index.json'))) {
        throw new CliError(`${path} is a directory without index.json: not an OCI image layout`);
      }
      const socket = socketOf(options);
      const names = await importImages(socket, source, { baseName: options.baseName }).catch((error: Error) => {
        throw new CliError(`import of ${path} failed: ${error.message.split('\n')[0]}`);
      });
      if (names.length === 0) {
        throw new CliError(`${path} holds no named image: give --base-name <repo> for OCI refs that are bare tags`);
      }
      for (const name of names) process.stdout.write(`imported ${name}\n`);
    });
}
