// Where a micro-VM's CPU goes from its restore to a running container, per phase: QEMU's CPU time (all its
// threads) and the guest blocks TCG translated (`info jit`), after the restore, after CONFIGURE (HELLO), when the
// container's process runs (STARTED) and 3 s later. It uses the runtime's own pieces (the template store, MicroVm,
// GuestSession) on a bridge in a network namespace of its own, with busybox as the container's root on the 9p
// share, so that a change to the guest, its kernel or QEMU's flags can be measured without a cluster:
//   npx tsx bench/microvm-phases.ts [VMs, default 4] [at once, default 1]
// Root only (taps, mounts). Under TCG most of a VM's CPU is the translation of guest code, which starts empty in
// every QEMU: the block count is the steadier measure on a shared machine.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureGuestInitramfs } from '../src/agent/microvm/guest/build.js';
import { ensureGuestKernel, qemuVersion } from '../src/agent/microvm/kernel/build.js';
import { Qmp } from '../src/agent/microvm/qmp.js';
import { TemplateStore } from '../src/agent/microvm/template.js';
import { MicroVm, vmFiles } from '../src/agent/microvm/vm.js';

const count = Number(process.argv[2] ?? 4);
const atOnce = Number(process.argv[3] ?? 1);
const netns = `skiff-phases-${process.pid}`;
const work = `/tmp/skiff-phases-${process.pid}`;
const socketDir = `/run/skiff-phases-${process.pid}`;
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** QEMU's CPU time in ms, every thread it has (schedstat: ns on a CPU). */
function cpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {}
  }
  return Math.round(ns / 1e6);
}

/** The guest blocks QEMU translated so far (its translation cache is flushed once, at the restore). */
async function translatedBlocks(qmpPath: string): Promise<number> {
  const qmp = await Qmp.connect(qmpPath, 5000);
  try {
    const info = await qmp.execute<string>('human-monitor-command', { 'command-line': 'info jit' });
    return Number(/TB count\s+(\d+)/.exec(info)?.[1] ?? -1);
  } finally {
    qmp.close();
  }
}

function busyboxRoot(dir: string): void {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'etc'));
  mkdirSync(join(dir, 'tmp'));
  copyFileSync('/bin/busybox', join(dir, 'bin/busybox'));
  sh('chmod', ['755', join(dir, 'bin/busybox')]);
  symlinkSync('busybox', join(dir, 'bin/sleep'));
  writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
}

type Phase = 'restored' | 'configured' | 'started' | 'after 3 s';
type Sample = { ms: number; cpuMs: number; blocks: number };

async function oneVm(i: number, store: TemplateStore, shape: Parameters<TemplateStore['template']>[0]) {
  const dir = join(work, `vm${i}`);
  const files = vmFiles(dir, join(socketDir, `${i}.sock`));
  const root = join(files.share, 'c', 'app');
  mkdirSync(root, { recursive: true });
  mkdirSync(join(dir, 'upper'));
  mkdirSync(join(dir, 'work'));
  // The container's root as containerd gives it: an overlay over the image's files.
  sh('mount', [
    '-t',
    'overlay',
    'overlay',
    '-o',
    `lowerdir=${work}/rootfs,upperdir=${dir}/upper,workdir=${dir}/work`,
    root,
  ]);
  mkdirSync(join(files.share, 'etc'), { recursive: true });
  for (const file of ['hostname', 'resolv.conf', 'hosts']) writeFileSync(join(files.share, 'etc', file), '\n');
  const mac = `52:54:0a:4d:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
  const samples: Partial<Record<Phase, Sample>> = {};
  const start = performance.now();
  const sample = async (phase: Phase, pid: number) => {
    samples[phase] = {
      ms: Math.round(performance.now() - start),
      cpuMs: cpuMs(pid),
      blocks: await translatedBlocks(files.qmp),
    };
  };
  const template = await store.template(shape);
  const { vm } = await MicroVm.boot(
    { ...shape, tap: `sp${process.pid % 10000}x${i}`, mac, name: `skiff-phases-${i}` },
    {
      ip: `10.77.${i >> 8}.${(i & 255) + 2}/16`,
      gateway: '10.77.0.1',
      mac,
      hostname: `vm${i}`,
      timeNs: BigInt(Date.now()) * 1_000_000n,
      seed: randomBytes(32),
    },
    files,
    { netns, netnsPath: `/run/netns/${netns}`, bridge: 'br0' },
    template,
    sample,
  );
  try {
    await vm.session!.start(
      'run',
      {
        root: '/pod/c/app',
        args: ['sleep', '3600'],
        env: ['PATH=/bin'],
        cwd: '/',
        uid: 0,
        gid: 0,
        groups: [],
        tty: false,
        stdin: false,
        nofile: [1024, 65535],
        nproc: [1024, 65535],
        mounts: ['hostname', 'resolv.conf', 'hosts'].map((f) => ({
          source: `/pod/etc/${f}`,
          target: `/etc/${f}`,
          readOnly: false,
        })),
      },
      { output: () => {}, exit: () => {} },
    );
    await sample('started', vm.pid);
    await sleep(3000);
    await sample('after 3 s', vm.pid);
  } finally {
    await vm.stop();
    sh('umount', [root]);
  }
  return samples;
}

const keepAlive = setInterval(() => {}, 1000);
sh('ip', ['netns', 'add', netns]);
try {
  sh('ip', ['-n', netns, 'link', 'add', 'br0', 'type', 'bridge']);
  sh('ip', ['-n', netns, 'addr', 'add', '10.77.0.1/16', 'dev', 'br0']);
  sh('ip', ['-n', netns, 'link', 'set', 'br0', 'up']);
  mkdirSync(socketDir, { recursive: true });
  busyboxRoot(join(work, 'rootfs'));
  const kernel = await ensureGuestKernel((line) => console.error(line));
  const initrd = await ensureGuestInitramfs();
  const store = new TemplateStore({ netns, netnsPath: `/run/netns/${netns}`, bridge: 'br0' }, qemuVersion(), socketDir);
  const shape = { kernel, initrd, accel: 'tcg' as const, vcpus: 1, memoryMiB: 512 };
  await store.template(shape);
  const results: Partial<Record<Phase, Sample>>[] = [];
  for (let i = 0; i < count; i += atOnce) {
    const batch = Array.from({ length: Math.min(atOnce, count - i) }, (_, k) => oneVm(i + k, store, shape));
    results.push(...(await Promise.all(batch)));
  }
  const phases: Phase[] = ['restored', 'configured', 'started', 'after 3 s'];
  const mean = (phase: Phase, key: keyof Sample) =>
    Math.round(results.reduce((sum, r) => sum + (r[phase]?.[key] ?? 0), 0) / results.length);
  console.log(`${count} VMs, ${atOnce} at once (cumulative from QEMU's start, means):`);
  for (const phase of phases) {
    console.log(
      `  ${phase.padEnd(10)} at ${String(mean(phase, 'ms')).padStart(5)} ms: QEMU CPU ${String(mean(phase, 'cpuMs')).padStart(4)} ms, ${mean(phase, 'blocks')} guest blocks translated`,
    );
  }
} finally {
  clearInterval(keepAlive);
  for (const mount of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const target = mount.split(' ')[1];
    if (target?.startsWith(`${work}/`)) execFileSync('umount', ['-l', target]);
  }
  rmSync(work, { recursive: true, force: true });
  rmSync(socketDir, { recursive: true, force: true });
  sh('ip', ['netns', 'del', netns]);
}
