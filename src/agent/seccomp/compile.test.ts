// The compiled filters run through a small classic-BPF interpreter: what the kernel would answer for a call.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileFilter, returnValue } from './compile.js';
import { rulesFor, runtimeDefaultProfile, type SeccompProfile } from './profile.js';
import { x86SyscallNumbers } from './syscalls.js';

interface Call {
  nr: number;
  arch?: number;
  args?: number[];
}

function run(program: Buffer, call: Call): number {
  const data = Buffer.alloc(64);
  data.writeUInt32LE(call.nr, 0);
  data.writeUInt32LE(call.arch ?? 0xc000003e, 4);
  (call.args ?? []).forEach((a, i) => {
    data.writeUInt32LE(a >>> 0, 16 + 8 * i);
    data.writeUInt32LE(Math.floor(a / 2 ** 32) >>> 0, 20 + 8 * i);
  });
  let acc = 0;
  for (let pc = 0; pc < program.length / 8; pc++) {
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) acc = data.readUInt32LE(k);
    else if (code === 0x54) acc = (acc & k) >>> 0;
    else if (code === 0x06) return k;
    else {
      const ok = code === 0x15 ? acc === k : code === 0x25 ? acc > k : code === 0x35 ? acc >= k : undefined;
      assert.notEqual(ok, undefined, `unknown instruction ${code.toString(16)}`);
      pc += ok ? jt : jf;
    }
  }
  throw new Error('the program ran off its end');
}

const numbers = x86SyscallNumbers();
const nr = (name: string) => numbers.get(name) as number;
const ALLOW = returnValue('SCMP_ACT_ALLOW');
const EPERM = returnValue('SCMP_ACT_ERRNO', 1);
const defaultCaps = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'KILL'];

test('RuntimeDefault with the default capabilities: ordinary calls pass, mount/unshare/reboot/keyctl get EPERM', () => {
  const profile = runtimeDefaultProfile();
  const filter = compileFilter(profile, rulesFor(profile, defaultCaps), numbers);
  for (const name of ['read', 'write', 'openat', 'execve', 'clone', 'futex', 'exit_group']) {
    assert.equal(run(filter, { nr: nr(name) }), ALLOW, name);
  }
  for (const name of ['mount', 'unshare', 'reboot', 'keyctl', 'bpf', 'kexec_load', 'init_module', 'setns']) {
    assert.equal(run(filter, { nr: nr(name) }), EPERM, name);
  }
  // clone with a namespace flag is refused without CAP_SYS_ADMIN; clone3 answers ENOSYS so libc falls back to clone
  assert.equal(run(filter, { nr: nr('clone'), args: [0x10000000] }), EPERM);
  assert.equal(run(filter, { nr: nr('clone3') }), returnValue('SCMP_ACT_ERRNO', 38));
  // socket: every family but AF_VSOCK; personality: only the listed personas
  assert.equal(run(filter, { nr: nr('socket'), args: [2] }), ALLOW);
  assert.equal(run(filter, { nr: nr('socket'), args: [40] }), EPERM);
  assert.equal(run(filter, { nr: nr('personality'), args: [0xffffffff] }), ALLOW);
  assert.equal(run(filter, { nr: nr('personality'), args: [0x0040000] }), EPERM);
  // i386 and x32 calls get the default action
  assert.equal(run(filter, { nr: 3, arch: 0x40000003 }), EPERM);
  assert.equal(run(filter, { nr: 0x40000000 + nr('read') }), EPERM);
});

test('RuntimeDefault follows the capabilities: CAP_SYS_ADMIN allows mount, unshare and clone3', () => {
  const profile = runtimeDefaultProfile();
  const filter = compileFilter(profile, rulesFor(profile, [...defaultCaps, 'CAP_SYS_ADMIN']), numbers);
  for (const name of ['mount', 'unshare', 'clone3']) assert.equal(run(filter, { nr: nr(name) }), ALLOW, name);
  assert.equal(run(filter, { nr: nr('clone'), args: [0x10000000] }), ALLOW);
  assert.equal(run(filter, { nr: nr('reboot') }), EPERM);
});

test('every comparison operator on 64-bit arguments', () => {
  const rule = (op: any, value: number, valueTwo?: number) =>
    ({
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [
        { names: ['write'], action: 'SCMP_ACT_ERRNO', errnoRet: 5, args: [{ index: 1, op, value, valueTwo }] },
      ],
    }) as SeccompProfile;
  const denied = returnValue('SCMP_ACT_ERRNO', 5);
  const check = (profile: SeccompProfile, arg: number) =>
    run(compileFilter(profile, profile.syscalls ?? [], numbers), { nr: nr('write'), args: [0, arg] }) === denied;
  const big = 2 ** 33 + 7;
  const cases: [string, number, number, boolean][] = [
    ['SCMP_CMP_EQ', big, big, true],
    ['SCMP_CMP_EQ', big, 7, false],
    ['SCMP_CMP_NE', big, 7, true],
    ['SCMP_CMP_NE', 7, 7, false],
    ['SCMP_CMP_GT', 7, big, true],
    ['SCMP_CMP_GT', big, 7, false],
    ['SCMP_CMP_GT', 7, 7, false],
    ['SCMP_CMP_GE', 7, 7, true],
    ['SCMP_CMP_GE', big, 8, false],
    ['SCMP_CMP_LT', big, 7, true],
    ['SCMP_CMP_LT', 7, 7, false],
    ['SCMP_CMP_LT', 7, big, false],
    ['SCMP_CMP_LE', 7, 7, true],
    ['SCMP_CMP_LE', 6, 7, false],
  ];
  for (const [op, value, arg, hit] of cases) assert.equal(check(rule(op, value), arg), hit, `${op} ${value} ${arg}`);
  assert.equal(check(rule('SCMP_CMP_MASKED_EQ', 0xff00, 0x1200), 0x12ab), true);
  assert.equal(check(rule('SCMP_CMP_MASKED_EQ', 0xff00, 0x1200), 0x13ab), false);
  // a call that fails a rule's condition is tried against the rules after it
  assert.equal(run(compileFilter(rule('SCMP_CMP_EQ', 1), [], numbers), { nr: nr('read') }), ALLOW);
});

test('a profile that names more than the kernel allows is refused', () => {
  const many = Array.from({ length: 2100 }, () => ({ names: ['read'], action: 'SCMP_ACT_ALLOW' as const }));
  assert.throws(() => compileFilter({ defaultAction: 'SCMP_ACT_ERRNO' }, many, numbers), /more than the kernel's 4096/);
});
