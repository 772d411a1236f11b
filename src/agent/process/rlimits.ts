// The pod's open-files and processes limits, Fargate's (src/fargate/limits.ts). The CRI has no rlimits, so they
// go into containerd's base runtime spec (engine/containerd/base-spec.ts) and every container's first process starts
// with them. Without CAP_SYS_RESOURCE no process may raise a hard limit past its own, so a hard limit is clamped to
// the agent's — and the node says so (`rlimitCapNote`, shown in the Ready condition's message), never silently.
import { readFileSync } from 'node:fs';
import { fargateRlimits } from '../../fargate/limits.js';

const wanted = [
  { name: 'nofile', flag: 'nofile', line: 'Max open files', ...fargateRlimits.nofile },
  { name: 'nproc', flag: 'nproc', line: 'Max processes', ...fargateRlimits.nproc },
] as const;

/** This process's hard limits, from /proc/self/limits (Infinity when unlimited). */
export function ownHardLimits(limits = readFileSync('/proc/self/limits', 'utf8')): Record<string, number> {
  const result: Record<string, number> = {};
  for (const w of wanted) {
    const line = limits.split('\n').find((l) => l.startsWith(w.line));
    const hard = line?.slice(w.line.length).trim().split(/\s+/)[1];
    result[w.name] = hard === undefined ? w.soft : hard === 'unlimited' ? Infinity : Number(hard);
  }
  return result;
}

let own: Record<string, number> | undefined;
const ownLimits = () => (own ??= ownHardLimits());

/** The limits each container gets here: Fargate's, with hard limits clamped to what this host lets the agent set. */
export function effectiveRlimits(hard = ownLimits()): { name: string; flag: string; soft: number; hard: number }[] {
  return wanted.map((w) => {
    const h = Math.min(w.hard, hard[w.name] ?? w.hard);
    return { name: w.name, flag: w.flag, soft: Math.min(w.soft, h), hard: h };
  });
}

/** "rlimit nofile hard limit capped at 20000 (wanted 65535): the host allows no more without CAP_SYS_RESOURCE". */
export function rlimitCapNote(hard = ownLimits()): string | undefined {
  const fargate = (name: string) => wanted.find((w) => w.name === name)!.hard;
  const capped = effectiveRlimits(hard).filter((l) => l.hard < fargate(l.name));
  if (!capped.length) return undefined;
  const list = capped.map((l) => `${l.name} hard limit capped at ${l.hard} (Fargate: ${fargate(l.name)})`).join(', ');
  return `container ${list}: this host allows no more without CAP_SYS_RESOURCE`;
}
