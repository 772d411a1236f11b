// Which sandbox runtime `skiff up` runs, and what it takes: `auto` is the strongest real sandbox this host allows
// (process: runc containers in Skiff's own containerd, on Linux as root), installing the Debian packages it lacks
// (those scripts/setup.sh names) with apt-get and a progress line; only where no real sandbox is possible does it
// fall back to `simulated`, saying why and what to do. `process` asked for by name gets the same install, or an error.
// `microvm` (QEMU micro-VMs for Fargate pods) adds QEMU and the guest build's packages; `auto` takes it only where
// KVM looks usable, and the cluster keeps it only if the driver's KVM probe boots a guest.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { RuntimeName } from '../config.js';
import { CliError } from '../errors.js';

export type ChosenRuntime = Exclude<RuntimeName, 'auto'>;

export interface RuntimeChoice {
  runtime: ChosenRuntime;
  /** Why `auto` fell back to the simulated runtime, and what to do about it. */
  fallback?: string;
  /** `auto` chose microvm because the host looks KVM-capable: use it only if the KVM probe agrees. */
  microvmOnlyWithKvm?: boolean;
}

/** What the choice looks at, so that tests can describe any host. */
export interface HostFacts {
  platform: NodeJS.Platform;
  uid: number | undefined;
  /** Whether `command` is on PATH. */
  has(command: string): boolean;
  exists(path: string): boolean;
  /** /proc/cpuinfo's text (absent: read from this machine). */
  cpuinfo?(): string;
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

/** What the micro-VM runtime needs besides the process runtime's: QEMU and the guest kernel's and init's build. */
export const microvmRuntimePackages: { name: string; present: (host: HostFacts) => boolean }[] = [
  { name: 'qemu-system-x86', present: (h) => h.has('qemu-system-x86_64') },
  { name: 'linux-source-6.1', present: (h) => h.exists('/usr/src/linux-source-6.1.tar.xz') },
  { name: 'flex', present: (h) => h.has('flex') },
  { name: 'bison', present: (h) => h.has('bison') },
  { name: 'bc', present: (h) => h.has('bc') },
  { name: 'libelf-dev', present: (h) => h.exists('/usr/include/libelf.h') },
  { name: 'make', present: (h) => h.has('make') },
  { name: 'gcc', present: (h) => h.has('gcc') },
  { name: 'libc6-dev', present: (h) => h.exists('/usr/include/stdio.h') },
  { name: 'xz-utils', present: (h) => h.has('xz') },
];

/** Whether KVM could run ordinary guests here, from what can be read at once (the driver still probes a boot). */
export function kvmLooksUsable(host: HostFacts & { cpuinfo?(): string }): boolean {
  if (!host.exists('/dev/kvm') || host.exists('/sys/module/kvm_pvm')) return false;
  return /\b(vmx|svm)\b/.test(host.cpuinfo?.() ?? '');
}

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

function readCpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
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
async function ensurePackages(
  host: HostFacts,
  io: ChoiceIo,
  packages = processRuntimePackages,
  runtime = 'process',
): Promise<string | undefined> {
  const missing = packages.filter((p) => !p.present(host)).map((p) => p.name);
  if (missing.length === 0) return undefined;
  const list = missing.join(' ');
  if (!host.has('apt-get')) {
    return `the ${runtime} runtime needs ${list}, which are missing, and there is no apt-get to install them: install them, then run skiff up again`;
  }
  io.say(`skiff: installing ${list} (apt-get)…`);
  try {
    await io.install(missing);
  } catch (error) {
    return `installing ${list} with apt-get failed (${firstLine(error)}): run \`sudo apt-get install ${list}\` (or scripts/setup.sh), then skiff up again`;
  }
  const still = packages.filter((p) => !p.present(host)).map((p) => p.name);
  if (still.length) return `apt-get installed ${list} but ${still.join(' ')} is still missing`;
  return undefined;
}

export async function chooseRuntime(
  requested: RuntimeName,
  host: HostFacts = thisHost(),
  io: ChoiceIo = { install: aptGetInstall, say: (line) => process.stderr.write(`${line}\n`) },
): Promise<RuntimeChoice> {
  if (requested === 'simulated') return { runtime: 'simulated' };
  const microvmPackages = [...processRuntimePackages, ...microvmRuntimePackages];
  if (requested === 'microvm') {
    const cannot = impossible(host) ?? (await ensurePackages(host, io, microvmPackages, 'microvm'));
    if (cannot) throw new CliError(`--runtime microvm cannot run here: ${cannot}`);
    return { runtime: 'microvm' };
  }
  const cannot = impossible(host) ?? (await ensurePackages(host, io));
  if (!cannot && requested === 'auto' && kvmLooksUsable({ ...host, cpuinfo: host.cpuinfo ?? readCpuinfo })) {
    if (!(await ensurePackages(host, io, microvmPackages, 'microvm')))
      return { runtime: 'microvm', microvmOnlyWithKvm: true };
  }
  if (!cannot) return { runtime: 'process' };
  if (requested === 'process') throw new CliError(`--runtime process cannot run here: ${cannot}`);
  const fallback = `skiff: pods will be simulated (no container runs): ${cannot}; or ${asChosen}`;
  io.say(fallback);
  return { runtime: 'simulated', fallback };
}
