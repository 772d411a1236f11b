// What the seccomp e2e checks share: a Localhost profile and the report a container under a profile prints.

/** A Localhost profile: everything allowed but making directories. */
export const noMkdirProfile = {
  defaultAction: 'SCMP_ACT_ALLOW',
  syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }],
};
/** What a container under a seccomp profile reports: the kernel's Seccomp mode, and whether mkdir works. */
export const seccompScript =
  'busybox grep Seccomp: /proc/self/status; if busybox mkdir -p /tmp/made; then echo "mkdir: ok"; else echo "mkdir: refused"; fi; trap "exit 0" TERM; while true; do sleep 1; done';
