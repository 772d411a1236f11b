// Which accelerator micro-VMs get on this host, found once and never assumed: KVM only when /dev/kvm exists, is
// not PVM (whose /dev/kvm runs only PVM-patched guests), the CPU has VT-x/AMD-V, and a probe VM with `-accel kvm`
// actually boots the guest kernel to its init within a few seconds; TCG (software CPU) otherwise, with the reason.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Accel } from './qemu-args.js';
import { kernelCommandLine, tscKhz } from './qemu-args.js';

export interface AccelChoice {
  accel: Accel;
  /** Why: "KVM" or why not ("/dev/kvm is PVM (kvm_pvm), which runs no ordinary guest"). */
  reason: string;
}

export interface AccelHost {
  exists(path: string): boolean;
  cpuinfo(): string;
  /** Boots the probe VM under KVM; resolves true when the guest's init answered. */
  boot(kernel: string, initrd: string): Promise<boolean>;
}

const probeTimeoutMs = 15_000;

function bootUnderKvm(kernel: string, initrd: string): Promise<boolean> {
  return new Promise((resolve) => {
    const append = `${kernelCommandLine()} skiff.probe=1`;
    const full = spawn(
      'qemu-system-x86_64',
      [
        '-M',
        'microvm,acpi=off',
        '-accel',
        'kvm',
        '-cpu',
        'host',
        '-m',
        '128M',
        '-nodefaults',
        '-no-user-config',
        '-display',
        'none',
        '-no-reboot',
        '-serial',
        'stdio',
        '-kernel',
        kernel,
        '-initrd',
        initrd,
        '-append',
        append.replace(`tsc_early_khz=${tscKhz}`, ''),
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    const timer = setTimeout(() => full.kill('SIGKILL'), probeTimeoutMs);
    full.stdout.on('data', (d) => {
      out += d;
      if (out.includes('SKIFF-PROBE-OK')) full.kill('SIGKILL');
    });
    full.on('error', () => resolve(false));
    full.on('close', () => {
      clearTimeout(timer);
      resolve(out.includes('SKIFF-PROBE-OK'));
    });
  });
}

export const thisAccelHost: AccelHost = {
  exists: existsSync,
  cpuinfo: () => readFileSync('/proc/cpuinfo', 'utf8'),
  boot: bootUnderKvm,
};

export async function chooseAccel(
  kernel: string,
  initrd: string,
  host: AccelHost = thisAccelHost,
): Promise<AccelChoice> {
  if (!host.exists('/dev/kvm')) return { accel: 'tcg', reason: 'no /dev/kvm' };
  if (host.exists('/sys/module/kvm_pvm')) {
    return { accel: 'tcg', reason: '/dev/kvm is PVM (kvm_pvm), which runs only PVM-patched guest kernels' };
  }
  if (!/\b(vmx|svm)\b/.test(host.cpuinfo())) {
    return { accel: 'tcg', reason: 'the CPU has no VT-x/AMD-V (no vmx or svm in /proc/cpuinfo)' };
  }
  if (!(await host.boot(kernel, initrd))) {
    return {
      accel: 'tcg',
      reason: `a probe VM under -accel kvm did not reach its init within ${probeTimeoutMs / 1000} s`,
    };
  }
  return { accel: 'kvm', reason: 'KVM' };
}

let chosen: Promise<AccelChoice> | undefined;

/** The host's choice, probed once per process. */
export function hostAccel(kernel: string, initrd: string): Promise<AccelChoice> {
  chosen ??= chooseAccel(kernel, initrd);
  return chosen;
}
