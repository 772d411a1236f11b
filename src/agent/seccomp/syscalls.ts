// x86_64 system call numbers by name, read once from the kernel's own UAPI header (linux-libc-dev, which the guest
// init's C compiler needs anyway): what turns a seccomp profile's names into the numbers a filter compares.
import { readFileSync } from 'node:fs';

export const unistdHeader = '/usr/include/x86_64-linux-gnu/asm/unistd_64.h';
let table: Map<string, number> | undefined;

export function parseUnistd(text: string): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const match of text.matchAll(/^#define __NR_(\w+)\s+(\d+)\s*$/gm)) numbers.set(match[1], Number(match[2]));
  return numbers;
}

/** Name → number; throws with the package to install when the header is missing. */
export function x86SyscallNumbers(): Map<string, number> {
  if (table) return table;
  let text: string;
  try {
    text = readFileSync(unistdHeader, 'utf8');
  } catch {
    throw new Error(`cannot read the x86_64 system call numbers from ${unistdHeader}: apt-get install linux-libc-dev`);
  }
  table = parseUnistd(text);
  return table;
}
