// Builds the add-on images offline: one OCI layout holding every image the add-ons run, under EKS' image names
// (602401143452.dkr.ecr.<region>.amazonaws.com/eks/coredns:v1.11.4-eksbuild.2, …), each a runtime layer (host node
// and its libraries) and a programs layer (the bundle and each image's executable, a script calling the bundle),
// differing only in their entrypoint. The layout is cached under ~/.cache/skiff/addon-images/<key>, the key a hash
// of everything in it, so a host builds it once per node binary and bundle (layouts of other keys unused for a day
// are removed when a new one is built).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeOciImage } from '../../agent/engine/oci/layout.js';
import type { TarEntry } from '../../agent/engine/oci/tar.js';
import type { Program } from '../programs/main.js';
import { bundlePrograms } from './bundle.js';
import { hostRuntime, type RuntimeFiles, runtimeLayer } from './runtime-layer.js';

/** Each program's executable in its image, and the image repositories (after the registry) that run it. */
export const executables: { program: Program; path: string; repositories: string[] }[] = [
  { program: 'coredns', path: '/coredns', repositories: ['eks/coredns'] },
  { program: 'kube-proxy', path: '/usr/local/bin/kube-proxy', repositories: ['eks/kube-proxy'] },
  { program: 'aws-vpc-cni-init', path: '/init/aws-vpc-cni-init', repositories: ['amazon-k8s-cni-init'] },
  { program: 'aws-vpc-cni', path: '/app/aws-vpc-cni', repositories: ['amazon-k8s-cni'] },
  { program: 'aws-network-policy-agent', path: '/controller', repositories: ['amazon/aws-network-policy-agent'] },
];

const layoutVersion = '1';

export function cacheRoot(env = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'skiff', 'addon-images');
}

/** The executable a full image name runs, by its repository. */
export function executableFor(image: string): (typeof executables)[number] | undefined {
  const withoutTag = image.slice(0, image.lastIndexOf(':'));
  const repository = withoutTag.slice(withoutTag.indexOf('/') + 1);
  return executables.find((e) => e.repositories.includes(repository));
}

function programsLayer(bundle: string): TarEntry[] {
  const entries: TarEntry[] = [
    { path: 'skiff', type: 'dir' },
    { path: 'skiff/addons.cjs', type: 'file', content: bundle },
  ];
  const dirs = new Set<string>(['skiff']);
  for (const { program, path } of executables) {
    const rel = path.slice(1);
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!dirs.has(dir)) {
        dirs.add(dir);
        entries.push({ path: dir, type: 'dir' });
      }
    }
    const script = `#!/usr/bin/node\nrequire('/skiff/addons.cjs').run(${JSON.stringify(program)}, process.argv.slice(2));\n`;
    entries.push({ path: rel, type: 'file', mode: 0o755, content: script });
  }
  return entries;
}

/** Layouts of other keys (an older node or bundle) unused for a day, and scratch dirs of builds an hour old, go. */
function pruneStale(root: string, keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(root)) {
    if (name === keep) continue;
    const path = join(root, name);
    const age = now - statSync(path).mtimeMs;
    if (age > (name.includes('.tmp-') ? 3_600_000 : 86_400_000)) rmSync(path, { recursive: true, force: true });
  }
}

export interface BuiltLayout {
  dir: string;
  key: string;
  /** Whether this call built it (false: it came from the cache). */
  built: boolean;
}

/** The cached layout holding `images` (EKS names), built when the cache has none for this content. */
export async function ensureAddonLayout(
  images: string[],
  options: { cacheDir?: string; runtime?: RuntimeFiles } = {},
): Promise<BuiltLayout> {
  const runtime = options.runtime ?? hostRuntime();
  const bundle = await bundlePrograms();
  const hash = createHash('sha256').update(layoutVersion).update(bundle);
  for (const file of [runtime.node, ...runtime.libraries]) hash.update(file).update(readFileSync(file));
  for (const image of [...images].sort()) hash.update(image);
  const key = hash.digest('hex').slice(0, 32);
  const root = options.cacheDir ?? cacheRoot();
  const dir = join(root, key);
  if (existsSync(join(dir, 'index.json'))) {
    const now = new Date();
    utimesSync(dir, now, now);
    return { dir, key, built: false };
  }
  mkdirSync(root, { recursive: true });
  const scratch = `${dir}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  const layers = [runtimeLayer(runtime), programsLayer(bundle)];
  for (const image of images) {
    const executable = executableFor(image);
    if (!executable) throw new Error(`no add-on program runs image ${image}`);
    writeOciImage(scratch, { name: image, layers, entrypoint: [executable.path] });
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(scratch, dir);
  pruneStale(root, key);
  return { dir, key, built: true };
}
