// One pod's micro-VM as host resources: a tap on the VPC bridge, QEMU started inside the VPC's network namespace
// (nsenter, so it keeps the host's mounts and sees the share's bind mounts as they come), its agent-channel socket
// and pid file, and the connection to skiff-init. It boots, or is restored from its size's template (template.ts:
// the RAM file mapped copy-on-write, the device state over QMP's migrate-incoming), then gets the pod's network,
// name, clock and seed over the agent channel (CONFIGURE). stop() leaves nothing: QEMU ended, tap, sockets and
// files removed.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { run, tryRun } from '../engine/network/run.js';
import { joinVmCpuGroup, type VmCpuGroup } from './cpu-group.js';
import { GuestSession } from './guest-session.js';
import type { GuestConfig } from './protocol.js';
import { qemuArgs, type VmConfig } from './qemu-args.js';
import { Qmp } from './qmp.js';

export interface VmFiles {
  /** D/sandboxes/<uid>/vm: the VM's own files (console log, QEMU's stderr, pid file). */
  dir: string;
  share: string;
  socket: string;
  /** QEMU's QMP socket beside the agent channel's. */
  qmp: string;
}

/** A booted guest saved at SKIFF-READY: its RAM file and its device state (template.ts makes them). */
export interface VmTemplate {
  memory: string;
  state: string;
}

/** The QEMU settings a caller gives; the files, QMP and template settings are the VM's own. */
export type VmMachine = Omit<
  VmConfig,
  'share' | 'socket' | 'consoleLog' | 'pidFile' | 'memoryFile' | 'qmp' | 'incoming'
>;

/** Where a VM's QEMU runs: the VPC's namespace and bridge, and the CPU group every VM shares. */
export interface VmHost {
  netnsPath: string;
  netns: string;
  bridge: string;
  cpuGroup?: VmCpuGroup;
}

const bootTimeoutMs = 60_000;

export function vmFiles(dir: string, socket: string): VmFiles {
  return { dir, share: join(dir, 'share'), socket, qmp: socket.replace(/\.sock$/, '.qmp') };
}

/** A path as one word for the shell QEMU runs an `exec:` migration URI with. */
export const shellWord = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;

/** The last `count` lines of a file joined by `separator` ('' when it cannot be read): why a QEMU or guest ended. */
export function lastLines(file: string, count: number, separator: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-count).join(separator);
  } catch {
    return '';
  }
}

/** QEMU in the VPC namespace and the VMs' CPU group, detached, its stderr in `<dir>/qemu.log`; `onExit` when it ends. */
export function spawnQemu(host: VmHost, args: string[], dir: string, onExit: () => void): number {
  const stderr = openSync(join(dir, 'qemu.log'), 'w');
  const child = spawn('nsenter', [`--net=${host.netnsPath}`, '--', 'qemu-system-x86_64', ...args], {
    detached: true,
    stdio: ['ignore', 'ignore', stderr],
  });
  closeSync(stderr);
  child.unref();
  child.on('exit', onExit);
  child.on('error', onExit);
  if (host.cpuGroup) joinVmCpuGroup(host.cpuGroup, child.pid ?? 0);
  return child.pid ?? 0;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** QEMU's pid from its pid file, when that process still runs QEMU. */
export function runningQemu(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, 'qemu.pid'), 'utf8').trim());
    if (!pid || !alive(pid)) return undefined;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('qemu-system') ? pid : undefined;
  } catch {
    return undefined;
  }
}

export class MicroVm {
  session?: GuestSession;
  /** Resolves when QEMU has ended (the guest powered off, panicked or was killed). */
  readonly ended: Promise<void>;
  private markEnded!: () => void;
  private poller?: NodeJS.Timeout;

  private constructor(
    readonly files: VmFiles,
    readonly network: VmHost,
    readonly tap: string,
    public pid: number,
  ) {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  /**
   * Makes the tap, starts QEMU (restored from `template` when given), configures the guest and waits for
   * skiff-init's hello; resolves to the VM and the guest kernel release.
   */
  static async boot(
    config: VmMachine,
    guest: GuestConfig,
    files: VmFiles,
    network: VmHost,
    template?: VmTemplate,
    /** Told when the VM is restored and when it is configured, with QEMU's pid (bench/microvm-phases.ts). */
    onPhase?: (phase: 'restored' | 'configured', pid: number) => Promise<void> | void,
  ): Promise<{ vm: MicroVm; kernelRelease: string }> {
    mkdirSync(files.share, { recursive: true });
    rmSync(files.socket, { force: true });
    rmSync(files.qmp, { force: true });
    await tryRun('ip', ['-n', network.netns, 'link', 'del', config.tap]);
    await run('ip', ['-n', network.netns, 'tuntap', 'add', 'dev', config.tap, 'mode', 'tap']);
    const args = qemuArgs({
      ...config,
      share: files.share,
      socket: files.socket,
      consoleLog: join(files.dir, 'console.log'),
      pidFile: join(files.dir, 'qemu.pid'),
      ...(template ? { memoryFile: { path: template.memory, shared: false }, qmp: files.qmp, incoming: true } : {}),
    });
    const vm = new MicroVm(files, network, config.tap, 0);
    try {
      await run('ip', ['-n', network.netns, 'link', 'set', config.tap, 'master', network.bridge, 'up']);
      vm.pid = spawnQemu(network, args, files.dir, () => vm.markEnded());
      if (template) await vm.restore(template);
      await onPhase?.('restored', vm.pid);
      const kernelRelease = await vm.attach(bootTimeoutMs, guest);
      await onPhase?.('configured', vm.pid);
      return { vm, kernelRelease };
    } catch (error) {
      await vm.stop(0);
      throw error;
    }
  }

  /** A VM a previous agent started, found by its pid file; undefined when QEMU no longer runs. */
  static async adopt(files: VmFiles, network: VmHost, tap: string): Promise<MicroVm | undefined> {
    const pid = runningQemu(files.dir);
    if (!pid) return undefined;
    const vm = new MicroVm(files, network, tap, pid);
    vm.poller = setInterval(() => {
      if (!alive(vm.pid)) vm.markEnded();
    }, 500);
    vm.poller.unref();
    try {
      await vm.attach(5000);
      return vm;
    } catch {
      await vm.stop(0);
      return undefined;
    }
  }

  /** The template's device state in (its RAM is the file QEMU mapped), then the guest runs on from SKIFF-READY. */
  private async restore(template: VmTemplate): Promise<void> {
    let ended = false;
    this.ended.then(() => (ended = true));
    const qmp = await Qmp.connect(this.files.qmp, bootTimeoutMs, () => ended);
    try {
      await qmp.ignoreSharedRam();
      // No self-announcement after the restore: it would broadcast the template's MAC (the device state's) five
      // times into every VM on the bridge; the guest takes the pod's MAC on CONFIGURE and is heard from then.
      await qmp.execute('migrate-set-parameters', { 'announce-rounds': 0 });
      await qmp.execute('migrate-incoming', { uri: `exec:cat ${shellWord(template.state)}` });
      await qmp.migrated(bootTimeoutMs);
      await qmp.execute('cont');
    } catch (error) {
      throw new Error(
        `restoring the micro-VM from its template failed: ${(error as Error).message}: ${this.qemuError()}`,
      );
    } finally {
      qmp.close();
    }
  }

  /**
   * Connects to the agent channel (QEMU listens once it runs), sends CONFIGURE (the pod's settings; none when
   * re-attaching) and waits for the guest's hello.
   */
  private async attach(timeoutMs: number, guest?: GuestConfig): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    this.ended.then(() => (ended = true));
    let socket: Socket | undefined;
    while (!socket) {
      if (ended) throw new Error(`QEMU exited while booting: ${this.qemuError()}`);
      if (Date.now() > deadline) throw new Error(`the micro-VM did not start within ${timeoutMs / 1000} s`);
      socket = await new Promise<Socket | undefined>((resolve) => {
        const s = connect(this.files.socket);
        s.once('connect', () => resolve(s));
        s.once('error', () => resolve(undefined));
      });
      if (!socket) await sleep(20);
    }
    this.session = new GuestSession(socket);
    const timeout = sleep(Math.max(0, deadline - Date.now()), undefined, { ref: false }).then(() => 'timeout' as const);
    const configured = this.session.configure(guest).catch((error: Error) => ({ failed: error }));
    const release = await Promise.race([configured, timeout, this.ended.then(() => 'ended' as const)]);
    if (typeof release === 'object') throw new Error(`the micro-VM's init failed: ${release.failed.message}`);
    if (release === 'timeout') {
      throw new Error(`the micro-VM's init did not answer within ${timeoutMs / 1000} s: ${this.consoleTail()}`);
    }
    if (release === 'ended') throw new Error(`the micro-VM stopped while booting: ${this.consoleTail()}`);
    return release;
  }

  private qemuError(): string {
    return lastLines(join(this.files.dir, 'qemu.log'), 3, ' ') || 'no message';
  }

  /** The last kernel messages, for an error that says why a guest died. */
  consoleTail(): string {
    return lastLines(join(this.files.dir, 'console.log'), 5, ' | ') || 'no console output';
  }

  /** Powers the guest off (it ends QEMU), waits up to `graceMs`, then kills QEMU; removes tap, socket and files. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.pid && alive(this.pid)) {
      if (this.session && !this.session.isClosed && graceMs > 0) {
        this.session.poweroff();
        await Promise.race([this.ended, sleep(graceMs, undefined, { ref: false })]);
      }
      if (alive(this.pid)) {
        try {
          process.kill(this.pid, 'SIGKILL');
        } catch {}
        for (let i = 0; i < 100 && alive(this.pid); i++) await sleep(20);
      }
    }
    this.markEnded();
    if (this.poller) clearInterval(this.poller);
    this.session?.close();
    await tryRun('ip', ['-n', this.network.netns, 'link', 'del', this.tap]);
    rmSync(this.files.socket, { force: true });
    rmSync(this.files.qmp, { force: true });
  }

  get running(): boolean {
    return this.pid > 0 && alive(this.pid);
  }
}

export function socketDirExists(dir: string): boolean {
  return existsSync(dir);
}
