// The QEMU command line of one pod's micro-VM, with the flags the sandbox lab found safe (docs/microvm.md):
// `-M microvm,acpi=off`, a PVH-booted vmlinux plus skiff-init's initramfs, `-no-reboot` with `reboot=t panic=-1` so
// that a halted or panicked guest ends QEMU, `tsc_early_khz` and `no_timer_check` against TCG's calibration hangs and
// IO-APIC panics, `tsc=reliable` against a clocksource watchdog that keeps idle guests busy, a bounded TCG translation cache, a unique MAC on the pod's tap, the pod's share over virtio-9p,
// and the agent channel as a virtio-serial port on a unix socket QEMU listens on. A template VM (template.ts) keeps
// its RAM in a file QEMU shares; a VM restored from it maps that file privately (copy-on-write) and waits for the
// device state on `-incoming defer`, driven over QMP. The pod's address and name reach the guest over the agent
// channel (CONFIGURE), not the kernel command line, so that one template serves every pod of its size.

export type Accel = 'kvm' | 'tcg';

export interface VmConfig {
  kernel: string;
  initrd: string;
  accel: Accel;
  vcpus: number;
  memoryMiB: number;
  /** The tap on the subnet's bridge (in the VPC namespace QEMU runs in). */
  tap: string;
  mac: string;
  /** The host dir shared as the guest's /pod (container roots, volumes). */
  share: string;
  /** The unix socket of the agent channel (QEMU listens). */
  socket: string;
  /** Where the guest console (kernel messages) goes. */
  consoleLog: string;
  pidFile: string;
  /** A name to find the process by (`-name`). */
  name: string;
  /** Guest RAM in this file: shared (a template writes it) or private (a restored VM's copy-on-write view). */
  memoryFile?: { path: string; shared: boolean };
  /** The QMP socket QEMU listens on. */
  qmp?: string;
  /** Wait for the device state of a template (migrate-incoming over QMP) instead of booting. */
  incoming?: boolean;
}

/** The TSC frequency the guest assumes instead of calibrating (TCG has no reliable reference timer). */
export const tscKhz = 2_600_000;
/** MiB of TCG translation cache per VM (QEMU's default, 1 GiB, is most of an idle VM's memory). */
export const tcgCacheMiB = 16;

/** A locally administered MAC derived from the pod's IP: unique in the VPC, as the pod IP is. */
export function macOf(ip: string): string {
  const octets = ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'));
  return ['52', '54', ...octets].join(':');
}

export function kernelCommandLine(): string {
  return [
    'console=ttyS0',
    'quiet',
    'panic=-1',
    'reboot=t',
    'no_timer_check',
    `tsc_early_khz=${tscKhz}`,
    // TCG's TSC follows QEMU's virtual clock: no watchdog reading the emulated HPET twice a second (an idle VM
    // cost 19 ms of CPU a second with it, 1 ms without).
    'tsc=reliable',
    'random.trust_cpu=on',
    'rcupdate.rcu_expedited=1',
  ].join(' ');
}

export function qemuArgs(c: VmConfig): string[] {
  if (!Number.isInteger(c.vcpus) || c.vcpus < 1)
    throw new Error(`a micro-VM needs a whole number of vCPUs, got ${c.vcpus}`);
  if (!Number.isInteger(c.memoryMiB) || c.memoryMiB < 64)
    throw new Error(`a micro-VM needs at least 64 MiB, got ${c.memoryMiB}`);
  const opt = (value: string) => value.replaceAll(',', ',,');
  return [
    '-name',
    c.name,
    '-M',
    c.memoryFile ? 'microvm,acpi=off,memory-backend=ram' : 'microvm,acpi=off',
    ...(c.memoryFile
      ? [
          '-object',
          `memory-backend-file,id=ram,size=${c.memoryMiB}M,mem-path=${opt(c.memoryFile.path)},share=${c.memoryFile.shared ? 'on' : 'off'}`,
        ]
      : []),
    '-accel',
    c.accel === 'kvm' ? 'kvm' : `tcg,tb-size=${tcgCacheMiB}`,
    '-cpu',
    c.accel === 'kvm' ? 'host' : 'max',
    '-smp',
    String(c.vcpus),
    '-m',
    `${c.memoryMiB}M`,
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-no-reboot',
    '-pidfile',
    c.pidFile,
    '-kernel',
    c.kernel,
    '-initrd',
    c.initrd,
    '-append',
    kernelCommandLine(),
    '-chardev',
    `file,id=console,path=${opt(c.consoleLog)}`,
    '-serial',
    'chardev:console',
    '-netdev',
    `tap,id=net0,ifname=${c.tap},script=no,downscript=no`,
    '-device',
    `virtio-net-device,netdev=net0,mac=${c.mac}`,
    '-fsdev',
    `local,id=pod,path=${opt(c.share)},security_model=passthrough,multidevs=remap`,
    '-device',
    'virtio-9p-device,fsdev=pod,mount_tag=pod',
    '-device',
    'virtio-serial-device',
    '-chardev',
    `socket,id=agent,path=${opt(c.socket)},server=on,wait=off`,
    '-device',
    'virtserialport,chardev=agent,name=skiff',
    '-device',
    'virtio-rng-device',
    ...(c.qmp ? ['-qmp', `unix:${opt(c.qmp)},server=on,wait=off`] : []),
    ...(c.incoming ? ['-incoming', 'defer'] : []),
  ];
}
