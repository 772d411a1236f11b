// A container's capability set as containerd's CRI computes it: the runtime's default set (runc's 14), plus
// securityContext.capabilities.add, minus drop ("ALL" on either side as containerd reads it), or every capability
// when privileged; as the bit mask skiff-init applies (bounding set, and the sets of a root process).

const names = [
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_ADMIN',
  'NET_RAW',
  'IPC_LOCK',
  'IPC_OWNER',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_CHROOT',
  'SYS_PTRACE',
  'SYS_PACCT',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_NICE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'MKNOD',
  'LEASE',
  'AUDIT_WRITE',
  'AUDIT_CONTROL',
  'SETFCAP',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'SYSLOG',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_READ',
  'PERFMON',
  'BPF',
  'CHECKPOINT_RESTORE',
];

/** containerd's default capabilities (those of runc's spec). */
export const defaultCapabilities = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
];

const bare = (name: string) => name.toUpperCase().replace(/^CAP_/, '');

/** The capability names a container holds (bare, as containerd's list). */
export function capabilitySet(options: { add?: string[]; drop?: string[]; privileged?: boolean }): Set<string> {
  const add = (options.add ?? []).map(bare);
  const drop = (options.drop ?? []).map(bare);
  let set = new Set(options.privileged || add.includes('ALL') ? names : defaultCapabilities);
  if (!options.privileged) {
    if (drop.includes('ALL')) set = new Set();
    for (const name of add) if (names.includes(name)) set.add(name);
    for (const name of drop) set.delete(name);
  }
  return set;
}

export function capabilityMask(options: { add?: string[]; drop?: string[]; privileged?: boolean }): bigint {
  let mask = 0n;
  for (const name of capabilitySet(options)) mask |= 1n << BigInt(names.indexOf(name));
  return mask;
}
