// Which process a PID is: its command line and start time as /proc shows them (the start time in clock ticks since
// boot, field 22 of /proc/<pid>/stat). `skiff up` records its own in D/skiff.json, and `skiff down` and `skiff
// status` signal or report the recorded PID only while it still names that process — after a crash the PID may
// belong to anything. Where /proc is missing, being alive is all that can be checked.
import { existsSync, readFileSync } from 'node:fs';

export interface ProcessIdentity {
  /** /proc/<pid>/cmdline, its NUL separators as spaces. */
  cmdline: string;
  /** Clock ticks after boot at which the process started. */
  startTime: string;
}

export function processIdentity(pid: number): ProcessIdentity | undefined {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count the fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { cmdline, startTime: fields[19]! };
  } catch {
    return undefined;
  }
}

/** Whether `pid` is still the process `recorded` describes (or, with nothing recorded, looks like a Skiff). */
export function isSameProcess(pid: number, recorded: Partial<ProcessIdentity>): boolean {
  if (!existsSync('/proc/self/stat')) return true;
  const now = processIdentity(pid);
  if (!now) return false;
  if (recorded.startTime !== undefined) return now.startTime === recorded.startTime && now.cmdline === recorded.cmdline;
  return /skiff/.test(now.cmdline) && /\bup\b/.test(now.cmdline);
}
