// The micro-VMs' share of the host's CPU: every QEMU this host starts joins one CPU cgroup, `skiff-microvms`, which
// the kernel's scheduler weighs as a single process (cgroup v2 cpu.weight 100, v1 cpu.shares 1024). Fifty VMs
// starting at once then take the CPU the control plane and the agent leave, instead of fifty shares against their
// one — the kubelet's kube-reserved, for a host whose pods are VMs. Each VM still gets its provisioned vCPUs
// (`-smp`) when the host has them to give.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const groupName = 'skiff-microvms';

export interface VmCpuGroup {
  /** The group's directory; undefined when this host offers none (`problem` says why). */
  dir?: string;
  problem?: string;
}

/** Finds or makes the group: cgroup v2 at the root (with the cpu controller enabled), else v1's cpu hierarchy. */
export function openVmCpuGroup(root = '/sys/fs/cgroup'): VmCpuGroup {
  try {
    if (existsSync(join(root, 'cgroup.controllers'))) {
      if (!readFileSync(join(root, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('cpu')) {
        return { problem: 'the cgroup v2 root has no cpu controller' };
      }
      if (!readFileSync(join(root, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('cpu')) {
        writeFileSync(join(root, 'cgroup.subtree_control'), '+cpu');
      }
      const dir = join(root, groupName);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'cpu.weight'), '100');
      return { dir };
    }
    const v1 = join(root, 'cpu');
    if (!existsSync(join(v1, 'cpu.shares'))) return { problem: `no cpu cgroup hierarchy under ${root}` };
    const dir = join(v1, groupName);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cpu.shares'), '1024');
    return { dir };
  } catch (error) {
    return { problem: `the ${groupName} CPU cgroup could not be made: ${(error as Error).message}` };
  }
}

/** Moves a QEMU (all its threads) into the group; false when it has gone already. */
export function joinVmCpuGroup(group: VmCpuGroup, pid: number): boolean {
  if (!group.dir || !pid) return false;
  try {
    writeFileSync(join(group.dir, 'cgroup.procs'), String(pid));
    return true;
  } catch {
    return false;
  }
}

/** Removes the group once no VM is left in it (a VM still running keeps it). */
export function closeVmCpuGroup(group: VmCpuGroup): void {
  if (!group.dir) return;
  try {
    rmdirSync(group.dir);
  } catch {}
}
