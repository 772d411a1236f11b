// Template VMs: one guest per machine shape (accelerator, vCPUs, memory, kernel, init, QEMU) booted once to
// SKIFF-READY and saved — its RAM in a file QEMU shared, its device state through QMP `migrate` with x-ignore-shared
// (so the RAM stays out of the stream) — in the micro-VM cache beside the kernel. A pod's VM is then restored
// from it instead of booting: QEMU maps the RAM file privately, so every VM of a shape shares the template's pages
// until it writes them (Kata Containers' VM templating, Firecracker's snapshot restore). A template is written once
// into a build dir and renamed into place; a file a VM maps is never changed.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { run, tryRun } from '../engine/network/run.js';
import { cached, cacheKey, microvmCacheDir } from './cache.js';
import { qemuArgs } from './qemu-args.js';
import { Qmp } from './qmp.js';
import { alive, lastLines, shellWord, spawnQemu, type VmHost, type VmMachine, type VmTemplate } from './vm.js';

/** What a template is made for: everything of a VM but its tap, MAC and name. */
export type TemplateShape = Omit<VmMachine, 'tap' | 'mac' | 'name'>;

const readyTimeoutMs = 60_000;
/** The template's own MAC; a restored guest sets its pod's (CONFIGURE). */
const templateMac = '52:54:00:00:00:01';

/** The host CPU's model: a template saved under `-accel kvm -cpu host` runs on that CPU only. */
function hostCpuModel(): string {
  try {
    return /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}

/** The cache key of a shape: the QEMU command line it boots with (paths made neutral), QEMU's version, the CPU. */
export function templateKey(shape: TemplateShape, qemuVersion: string): string {
  const canonical = qemuArgs({
    ...shape,
    tap: 'tap',
    mac: templateMac,
    name: 'template',
    share: 'share',
    socket: 'agent.sock',
    consoleLog: 'console.log',
    pidFile: 'qemu.pid',
    memoryFile: { path: 'memory', shared: true },
    qmp: 'qmp.sock',
  });
  const cpu = shape.accel === 'kvm' ? hostCpuModel() : '';
  return cacheKey(qemuVersion, cpu, readFileSync(shape.kernel), readFileSync(shape.initrd), canonical.join('\0'));
}

export class TemplateStore {
  private making = new Map<string, Promise<VmTemplate>>();
  /** Each shape's key, worked out once (it hashes the kernel and init). */
  private keys = new Map<string, string>();
  /** Keys whose template is made (in the cache, as far as this process knows). */
  private ready = new Set<string>();

  constructor(
    private network: VmHost,
    private qemuVersion: string,
    /** Where sockets live (a unix socket path must stay under 108 bytes). */
    private socketDir: string,
    private cacheDir?: string,
  ) {}

  /** The template of a shape, made on first use (once, however many pods ask at the same time). */
  template(shape: TemplateShape): Promise<VmTemplate> {
    const key = this.keyOf(shape);
    const dir = this.dirOf(key);
    const whole = existsSync(join(dir, 'state')) && existsSync(join(dir, 'memory'));
    let making = this.making.get(key);
    // A template whose files left the cache (removed by hand) is no template: it is made again.
    if (making && this.ready.has(key) && !whole) {
      this.discard(shape);
      making = undefined;
    }
    if (!making) {
      if (!whole) rmSync(dir, { recursive: true, force: true });
      making = cached('template', key, 'state', (tmp) => this.make(shape, key, tmp), this.cacheDir).then((state) => {
        this.ready.add(key);
        return { state, memory: join(state, '..', 'memory') };
      });
      this.making.set(key, making);
      making.catch(() => this.making.delete(key));
    }
    return making;
  }

  /**
   * A template that did not restore is removed (VMs running from it keep their mapping): the next pod of the shape
   * makes it again.
   */
  discard(shape: TemplateShape): void {
    const key = this.keyOf(shape);
    if (!this.ready.has(key)) return;
    this.making.delete(key);
    this.ready.delete(key);
    rmSync(this.dirOf(key), { recursive: true, force: true });
  }

  private keyOf(shape: TemplateShape): string {
    const id = JSON.stringify(shape);
    let key = this.keys.get(id);
    if (!key) {
      key = templateKey(shape, this.qemuVersion);
      this.keys.set(id, key);
    }
    return key;
  }

  private dirOf(key: string): string {
    return join(this.cacheDir ?? microvmCacheDir(), `template-${key}`);
  }

  /** Boots the shape's guest to SKIFF-READY and saves it into `dir` (memory, state). */
  private async make(shape: TemplateShape, key: string, dir: string): Promise<void> {
    const tap = `vt${key.slice(0, 12)}`;
    const socket = join(this.socketDir, `t${key}-${process.pid}.sock`);
    const qmpPath = socket.replace(/\.sock$/, '.qmp');
    const consoleLog = join(dir, 'console.log');
    mkdirSync(join(dir, 'share'), { recursive: true });
    // A tap of its own, on no bridge: the device the pods' VMs restore onto has the same features.
    await tryRun('ip', ['-n', this.network.netns, 'link', 'del', tap]);
    await run('ip', ['-n', this.network.netns, 'tuntap', 'add', 'dev', tap, 'mode', 'tap']);
    let ended = false;
    let pid = 0;
    try {
      const args = qemuArgs({
        ...shape,
        tap,
        mac: templateMac,
        name: `skiff-template-${key}`,
        share: join(dir, 'share'),
        socket,
        consoleLog,
        pidFile: join(dir, 'qemu.pid'),
        memoryFile: { path: join(dir, 'memory'), shared: true },
        qmp: qmpPath,
      });
      pid = spawnQemu(this.network, args, dir, () => (ended = true));
      const qmp = await Qmp.connect(qmpPath, readyTimeoutMs, () => ended);
      try {
        await waitForReady(consoleLog, () => ended, dir);
        await qmp.execute('stop');
        await qmp.ignoreSharedRam();
        await qmp.execute('migrate', { uri: `exec:cat > ${shellWord(join(dir, 'state'))}` });
        await qmp.migrated(readyTimeoutMs);
        await qmp.execute('quit').catch(() => undefined);
      } finally {
        qmp.close();
      }
      for (let i = 0; i < 250 && !ended && alive(pid); i++) await sleep(20);
    } finally {
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
      await tryRun('ip', ['-n', this.network.netns, 'link', 'del', tap]);
      rmSync(socket, { force: true });
      rmSync(qmpPath, { force: true });
      rmSync(join(dir, 'share'), { recursive: true, force: true });
    }
  }
}

/** Waits until skiff-init printed SKIFF-READY on the console: the port is open, nothing of a pod is set yet. */
async function waitForReady(consoleLog: string, ended: () => boolean, dir: string): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (existsSync(consoleLog) && readFileSync(consoleLog, 'utf8').includes('SKIFF-READY')) return;
    if (ended()) {
      const why = `${lastLines(consoleLog, 3, ' | ')} ${lastLines(join(dir, 'qemu.log'), 3, ' | ')}`;
      throw new Error(`the template VM stopped while booting: ${why}`);
    }
    if (Date.now() > deadline) throw new Error(`the template VM did not boot within ${readyTimeoutMs / 1000} s`);
    await sleep(20);
  }
}
