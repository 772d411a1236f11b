// A seccomp profile compiled to the classic BPF program the kernel runs (seccomp(SECCOMP_SET_MODE_FILTER)), for x86_64
// guests: the micro-VM runtime hands it to skiff-init, which installs it before the container's command runs (the
// process runtime leaves this to runc and libseccomp). Rules are tried in the profile's order, the first match wins;
// names this kernel does not know are skipped, as runc skips them; other architectures (i386, x32) get the default.
import type { SeccompAction, SeccompArg, SeccompProfile, SeccompRule } from './profile.js';

const LD_ABS = 0x20;
const JEQ = 0x15;
const JGT = 0x25;
const JGE = 0x35;
const AND = 0x54;
const RET = 0x06;
const AUDIT_ARCH_X86_64 = 0xc000003e;
const X32_SYSCALL_BIT = 0x40000000;
const maxInstructions = 4096;
const EPERM = 1;

/** seccomp_data offsets: nr, arch, then six 64-bit arguments (low word first on x86_64). */
const offset = { nr: 0, arch: 4, argLow: (i: number) => 16 + 8 * i, argHigh: (i: number) => 20 + 8 * i };

export function returnValue(action: SeccompAction, errno = EPERM): number {
  switch (action) {
    case 'SCMP_ACT_ALLOW':
      return 0x7fff0000;
    case 'SCMP_ACT_ERRNO':
      return (0x00050000 | (errno & 0xffff)) >>> 0;
    case 'SCMP_ACT_KILL':
    case 'SCMP_ACT_KILL_THREAD':
      return 0;
    case 'SCMP_ACT_KILL_PROCESS':
      return 0x80000000;
    case 'SCMP_ACT_TRAP':
      return 0x00030000;
    case 'SCMP_ACT_LOG':
      return 0x7ffc0000;
  }
}

interface Label {
  at?: number;
}
interface Instruction {
  code: number;
  k: number;
  jt?: Label;
  jf?: Label;
}

/** A tiny assembler: jumps name labels, resolved to the relative offsets BPF wants when the program is done. */
class Program {
  readonly code: Instruction[] = [];
  emit(code: number, k: number, jt?: Label, jf?: Label): void {
    this.code.push({ code, k: k >>> 0, jt, jf });
  }
  here(label: Label): void {
    label.at = this.code.length;
  }
  bytes(): Buffer {
    if (this.code.length > maxInstructions) {
      throw new Error(
        `the seccomp filter needs ${this.code.length} instructions, more than the kernel's ${maxInstructions}`,
      );
    }
    const out = Buffer.alloc(this.code.length * 8);
    this.code.forEach((ins, i) => {
      const rel = (label?: Label) => {
        if (!label) return 0;
        const jump = (label.at ?? -1) - (i + 1);
        if (jump < 0 || jump > 255) throw new Error('seccomp filter jump out of range');
        return jump;
      };
      out.writeUInt16LE(ins.code, i * 8);
      out.writeUInt8(rel(ins.jt), i * 8 + 2);
      out.writeUInt8(rel(ins.jf), i * 8 + 3);
      out.writeUInt32LE(ins.k, i * 8 + 4);
    });
    return out;
  }
}

const high = (n: number) => Math.floor(n / 2 ** 32) >>> 0;
const low = (n: number) => n >>> 0;

/** Jumps to `fail` unless the argument satisfies the condition; falls through when it does. */
function condition(p: Program, arg: SeccompArg, fail: Label): void {
  const pass: Label = {};
  const v = arg.value;
  const load = (word: 'high' | 'low') =>
    p.emit(LD_ABS, word === 'high' ? offset.argHigh(arg.index) : offset.argLow(arg.index));
  switch (arg.op) {
    case 'SCMP_CMP_EQ':
      load('high');
      p.emit(JEQ, high(v), undefined, fail);
      load('low');
      p.emit(JEQ, low(v), undefined, fail);
      break;
    case 'SCMP_CMP_NE':
      load('high');
      p.emit(JEQ, high(v), undefined, pass);
      load('low');
      p.emit(JEQ, low(v), fail, undefined);
      break;
    case 'SCMP_CMP_MASKED_EQ': {
      const want = arg.valueTwo ?? 0;
      load('high');
      p.emit(AND, high(v));
      p.emit(JEQ, high(want), undefined, fail);
      load('low');
      p.emit(AND, low(v));
      p.emit(JEQ, low(want), undefined, fail);
      break;
    }
    case 'SCMP_CMP_GT':
    case 'SCMP_CMP_GE':
      load('high');
      p.emit(JGT, high(v), pass, undefined);
      p.emit(JEQ, high(v), undefined, fail);
      load('low');
      p.emit(arg.op === 'SCMP_CMP_GT' ? JGT : JGE, low(v), undefined, fail);
      break;
    case 'SCMP_CMP_LT':
    case 'SCMP_CMP_LE':
      load('high');
      p.emit(JGE, high(v), undefined, pass);
      p.emit(JEQ, high(v), undefined, fail);
      load('low');
      p.emit(arg.op === 'SCMP_CMP_LT' ? JGE : JGT, low(v), fail, undefined);
      break;
  }
  p.here(pass);
}

function rule(p: Program, nr: number, r: SeccompRule): void {
  const next: Label = {};
  const action = returnValue(r.action, r.errnoRet);
  if (!r.args?.length) {
    p.emit(JEQ, nr, undefined, next);
    p.emit(RET, action);
    p.here(next);
    return;
  }
  const reload: Label = {};
  p.emit(JEQ, nr, undefined, next);
  for (const arg of r.args) condition(p, arg, reload);
  p.emit(RET, action);
  p.here(reload);
  p.emit(LD_ABS, offset.nr);
  p.here(next);
}

/** The filter for `rules` (already resolved for the container's capabilities) under the profile's default action. */
export function compileFilter(profile: SeccompProfile, rules: SeccompRule[], numbers: Map<string, number>): Buffer {
  const p = new Program();
  const fallback = returnValue(profile.defaultAction, profile.defaultErrnoRet);
  const native: Label = {};
  const x32: Label = {};
  p.emit(LD_ABS, offset.arch);
  p.emit(JEQ, AUDIT_ARCH_X86_64, native, undefined);
  p.emit(RET, fallback);
  p.here(native);
  p.emit(LD_ABS, offset.nr);
  p.emit(JGE, X32_SYSCALL_BIT, undefined, x32);
  p.emit(RET, fallback);
  p.here(x32);
  for (const r of rules) {
    for (const name of r.names) {
      const nr = numbers.get(name);
      if (nr !== undefined) rule(p, nr, r);
    }
  }
  p.emit(RET, fallback);
  return p.bytes();
}
