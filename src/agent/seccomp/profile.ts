// Seccomp profiles in Docker's JSON format (what `localhostProfile` files and data/seccomp/runtime-default.json hold):
// reading one, checking it, and resolving the rules that hold for a container's capability set (`includes.caps`,
// `excludes.caps`), as runc and containerd do before they load a filter.
import { readFileSync } from 'node:fs';

export type SeccompAction =
  | 'SCMP_ACT_ALLOW'
  | 'SCMP_ACT_ERRNO'
  | 'SCMP_ACT_KILL'
  | 'SCMP_ACT_KILL_THREAD'
  | 'SCMP_ACT_KILL_PROCESS'
  | 'SCMP_ACT_TRAP'
  | 'SCMP_ACT_LOG';
export type SeccompOp =
  | 'SCMP_CMP_NE'
  | 'SCMP_CMP_LT'
  | 'SCMP_CMP_LE'
  | 'SCMP_CMP_EQ'
  | 'SCMP_CMP_GE'
  | 'SCMP_CMP_GT'
  | 'SCMP_CMP_MASKED_EQ';

export interface SeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: SeccompOp;
}

export interface SeccompRule {
  names: string[];
  action: SeccompAction;
  errnoRet?: number;
  args?: SeccompArg[];
  includes?: { caps?: string[] };
  excludes?: { caps?: string[] };
}

export interface SeccompProfile {
  defaultAction: SeccompAction;
  defaultErrnoRet?: number;
  architectures?: string[];
  syscalls?: SeccompRule[];
}

const actions = new Set<string>([
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_LOG',
]);
const ops = new Set<string>([
  'SCMP_CMP_NE',
  'SCMP_CMP_LT',
  'SCMP_CMP_LE',
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_MASKED_EQ',
]);

const isWord = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= Number.MAX_SAFE_INTEGER;

/** The profile in `text`, or an error naming what is wrong with it (runc's words where it has them). */
export function parseProfile(text: string, source: string): SeccompProfile {
  let profile: any;
  try {
    profile = JSON.parse(text);
  } catch (error: any) {
    throw new Error(`decoding seccomp profile failed: ${source}: ${error.message}`);
  }
  const bad = (why: string) => new Error(`seccomp profile ${source}: ${why}`);
  if (!profile || typeof profile !== 'object') throw bad('not a JSON object');
  if (!actions.has(profile.defaultAction))
    throw bad(`unsupported defaultAction ${JSON.stringify(profile.defaultAction)}`);
  for (const [i, rule] of (profile.syscalls ?? []).entries()) {
    if (!Array.isArray(rule?.names) || !rule.names.every((n: unknown) => typeof n === 'string')) {
      throw bad(`syscalls[${i}].names must be a list of names`);
    }
    if (!actions.has(rule.action)) throw bad(`syscalls[${i}]: unsupported action ${JSON.stringify(rule.action)}`);
    for (const arg of rule.args ?? []) {
      if (!ops.has(arg?.op)) throw bad(`syscalls[${i}]: unsupported operator ${JSON.stringify(arg?.op)}`);
      if (
        !(isWord(arg.index) && arg.index < 6) ||
        !isWord(arg.value) ||
        !(arg.valueTwo === undefined || isWord(arg.valueTwo))
      ) {
        throw bad(`syscalls[${i}]: args need an index 0-5 and non-negative integer values`);
      }
    }
  }
  return profile as SeccompProfile;
}

export function readProfile(path: string): SeccompProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error: any) {
    throw new Error(
      `cannot load seccomp profile "${path}": ${error.code === 'ENOENT' ? 'no such file or directory' : error.message}`,
    );
  }
  return parseProfile(text, path);
}

const runtimeDefaultPath = new URL('../../../data/seccomp/runtime-default.json', import.meta.url).pathname;
let runtimeDefault: SeccompProfile | undefined;

/** containerd's default profile (data/seccomp/runtime-default.json). */
export function runtimeDefaultProfile(): SeccompProfile {
  runtimeDefault ??= readProfile(runtimeDefaultPath);
  return runtimeDefault;
}

/** The rules that hold for a container with these capabilities (bare names or CAP_-prefixed). */
export function rulesFor(profile: SeccompProfile, capabilities: Iterable<string>): SeccompRule[] {
  const caps = new Set([...capabilities].map((c) => (c.startsWith('CAP_') ? c : `CAP_${c}`)));
  return (profile.syscalls ?? []).filter(
    (rule) =>
      (rule.includes?.caps ?? []).every((c) => caps.has(c)) && !(rule.excludes?.caps ?? []).some((c) => caps.has(c)),
  );
}
