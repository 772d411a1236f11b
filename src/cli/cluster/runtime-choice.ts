// Which sandbox runtime `skiff up` runs, and what it takes: `auto` is the strongest real sandbox this host allows
// (process: runc containers in Skiff's own containerd, on Linux as root), installing the Debian packages it lacks
// (those scripts/setup.sh names) with apt-get and a progress line; only where no real sandbox is possible does it
// fall back to `simulated`, saying why and what to do. `process` asked for by name gets the same install, or an error.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { RuntimeName } from '../config.js';
import { CliError } from '../errors.js';

export type ChosenRuntime = Exclude<RuntimeName, 'auto' | 'microvm'>;

export interface RuntimeChoice {
  runtime: ChosenRuntime;
  /** Why `auto` fell back to the simulated runtime, and what to do about it. */
  fallback?: string;
}

/** What the choice looks at, so that tests can describe any host. */
export interface HostFacts {
  platform: NodeJS.Platform;
  uid: number | undefined;
  /** Whether `command` is on PATH. */
  has(command: string): boolean;
  exists(path: string): boolean;
}

export interface ChoiceIo {
  /** Installs Debian packages; rejects with apt-get's error. */
  install(packages: string[]): Promise<void>;
  /** Progress and notices, one line each (stderr). */
  say(line: string): void;
}

/** The Debian packages the process runtime needs (as scripts/setup.sh installs them) and how to see each is there. */
export const processRuntimePackages: { name: string; present: (host: HostFacts) => boolean }[] = [
  { name: 'containerd', present: (h) => h.has('containerd') && h.has('ctr') },
  { name: 'runc', present: (h) => h.has('runc') },
  { name: 'containernetworking-plugins', present: (h) => h.exists('/usr/lib/cni/bridge') },
  { name: 'iproute2', present: (h) => h.has('ip') },
  { name: 'iptables', present: (h) => h.has('iptables-restore') },
  { name: 'conntrack', present: (h) => h.has('conntrack') },
  { name: 'busybox-static', present: (h) => h.exists('/bin/busybox') },
];

export function thisHost(): HostFacts {
  const path = (process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter);
  return {
    platform: process.platform,
    uid: process.getuid?.(),
    has: (command) => path.some((dir) => dir && existsSync(join(dir, command))),
    exists: existsSync,
  };
}

export async function aptGetInstall(packages: string[]): Promise<void> {
  const run = promisify(execFile);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env, maxBuffer: 16 * 2 ** 20 });
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    env,
    maxBuffer: 16 * 2 ** 20,
  });
}

const asChosen = 'pass --runtime simulated to choose it on purpose';

/** Why no real sandbox can run here (before anything is installed), or undefined when one can. */
function impossible(host: HostFacts): string | undefined {
  if (host.platform !== 'linux') {
    return `real sandboxes need Linux and this is ${host.platform}: run Skiff on a Linux machine as root for real pods`;
  }
  if (host.uid !== 0) {
    return "real sandboxes (runc containers in Skiff's own containerd) need root: run `sudo ./bin/skiff up` for real pods";
  }
  return undefined;
}

function firstLine(error: unknown): string {
  const text = String((error as { stderr?: string })?.stderr || (error as Error)?.message || error).trim();
  return text.split('\n').find((l) => l.trim()) ?? text;
}

/** Makes sure the packages of the process runtime are there; the reason it could not, else undefined. */
async function ensurePackages(host: HostFacts, io: ChoiceIo): Promise<string | undefined> {
  const missing = processRuntimePackages.filter((p) => !p.present(host)).map((p) => p.name);
  if (missing.length === 0) return undefined;
  const list = missing.join(' ');
  if (!host.has('apt-get')) {
    return `the process runtime needs ${list}, which are missing, and there is no apt-get to install them: install them, then run skiff up again`;
  }
  io.say(`skiff: installing ${list} (apt-get)…`);
  try {
    await io.install(missing);
  } catch (error) {
    return `installing ${list} with apt-get failed (${firstLine(error)}): run \`sudo apt-get install ${list}\` (or scripts/setup.sh), then skiff up again`;
  }
  const still = processRuntimePackages.filter((p) => !p.present(host)).map((p) => p.name);
  if (still.length) return `apt-get installed ${list} but ${still.join(' ')} is still missing`;
  return undefined;
}

export async function chooseRuntime(
  requested: RuntimeName,
  host: HostFacts = thisHost(),
  io: ChoiceIo = { install: aptGetInstall, say: (line) => process.stderr.write(`${line}\n`) },
): Promise<RuntimeChoice> {
  if (requested === 'simulated') return { runtime: 'simulated' };
  if (requested === 'microvm') {
    throw new CliError(
      '--runtime microvm needs the micro-VM sandbox driver, which this version does not have yet; use --runtime process or simulated',
    );
  }
  const cannot = impossible(host) ?? (await ensurePackages(host, io));
  if (!cannot) return { runtime: 'process' };
  if (requested === 'process') throw new CliError(`--runtime process cannot run here: ${cannot}`);
  const fallback = `skiff: pods will be simulated (no container runs): ${cannot}; or ${asChosen}`;
  io.say(fallback);
  return { runtime: 'simulated', fallback };
}
