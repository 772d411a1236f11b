import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ChoiceIo, chooseRuntime, type HostFacts } from './runtime-choice.js';

const full = ['containerd', 'ctr', 'runc', 'ip', 'iptables-restore', 'conntrack', 'apt-get'];
const files = ['/usr/lib/cni/bridge', '/bin/busybox'];

function host(overrides: Partial<HostFacts> & { commands?: string[]; files?: string[] } = {}): HostFacts {
  const commands = new Set(overrides.commands ?? full);
  const paths = new Set(overrides.files ?? files);
  return {
    platform: 'linux',
    uid: 0,
    has: (c) => commands.has(c),
    exists: (p) => paths.has(p),
    ...overrides,
  };
}

function io(install: (packages: string[]) => Promise<void> = async () => {}): ChoiceIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, install, say: (line) => lines.push(line) };
}

test('auto runs the process runtime as root on Linux when everything is there', async () => {
  const out = io();
  assert.deepEqual(await chooseRuntime('auto', host(), out), { runtime: 'process' });
  assert.deepEqual(out.lines, []);
});

test('auto installs what is missing with apt-get, saying so, then runs the process runtime', async () => {
  const commands = new Set(['apt-get', 'ip', 'iptables-restore', 'conntrack']);
  const paths = new Set(['/bin/busybox']);
  const facts = host({ has: (c) => commands.has(c), exists: (p) => paths.has(p) });
  const installed: string[][] = [];
  const out = io(async (packages) => {
    installed.push(packages);
    for (const c of ['containerd', 'ctr', 'runc']) commands.add(c);
    paths.add('/usr/lib/cni/bridge');
  });
  assert.deepEqual(await chooseRuntime('auto', facts, out), { runtime: 'process' });
  assert.deepEqual(installed, [['containerd', 'runc', 'containernetworking-plugins']]);
  assert.deepEqual(out.lines, ['skiff: installing containerd runc containernetworking-plugins (apt-get)…']);
});

test('auto falls back to simulated only where no real sandbox can run, saying why and what to do', async () => {
  const cases: [string, HostFacts, ChoiceIo & { lines: string[] }, RegExp][] = [
    ['macOS', host({ platform: 'darwin' }), io(), /need Linux and this is darwin/],
    ['not root', host({ uid: 1000 }), io(), /need root: run `sudo \.\/bin\/skiff up`/],
    [
      'install failed',
      host({ commands: ['apt-get', 'ip', 'iptables-restore', 'conntrack'], files: ['/bin/busybox'] }),
      io(async () => {
        throw Object.assign(new Error('x'), { stderr: 'E: Unable to locate package containerd\n' });
      }),
      /installing containerd runc containernetworking-plugins with apt-get failed \(E: Unable to locate package containerd\)/,
    ],
    ['no apt-get', host({ commands: ['ip'] }), io(), /there is no apt-get to install them/],
  ];
  for (const [name, facts, out, why] of cases) {
    const choice = await chooseRuntime('auto', facts, out);
    assert.equal(choice.runtime, 'simulated', name);
    assert.match(choice.fallback!, /^skiff: pods will be simulated \(no container runs\): /, name);
    assert.match(choice.fallback!, why, name);
    assert.match(choice.fallback!, /pass --runtime simulated to choose it on purpose$/, name);
    assert.equal(out.lines.at(-1), choice.fallback, name);
  }
});

test('a runtime asked for by name is run or refused, never swapped', async () => {
  assert.deepEqual(await chooseRuntime('simulated', host({ uid: 1000 }), io()), { runtime: 'simulated' });
  await assert.rejects(
    chooseRuntime('process', host({ uid: 1000 }), io()),
    /--runtime process cannot run here: .*need root/,
  );
  await assert.rejects(
    chooseRuntime('microvm', host({ uid: 1000 }), io()),
    /--runtime microvm cannot run here: .*need root/,
  );
});

const microvmCommands = [...full, 'qemu-system-x86_64', 'flex', 'bison', 'bc', 'make', 'gcc', 'xz'];
const microvmFiles = [...files, '/usr/src/linux-source-6.1.tar.xz', '/usr/include/libelf.h', '/usr/include/stdio.h'];

test('microvm asked for by name installs QEMU and the guest build packages it lacks', async () => {
  const commands = new Set(full);
  const paths = new Set(microvmFiles);
  const installed: string[][] = [];
  const out = io(async (packages) => {
    installed.push(packages);
    for (const c of microvmCommands) commands.add(c);
  });
  const facts = host({ has: (c) => commands.has(c), exists: (p) => paths.has(p) });
  assert.deepEqual(await chooseRuntime('microvm', facts, out), { runtime: 'microvm' });
  assert.deepEqual(installed, [['qemu-system-x86', 'flex', 'bison', 'bc', 'make', 'gcc', 'xz-utils']]);
});

test('auto takes microvm only where KVM looks usable (real VT-x/AMD-V, not PVM), else process', async () => {
  const kvm = (extra: string[], cpu: string) =>
    host({ commands: microvmCommands, files: [...microvmFiles, ...extra], cpuinfo: () => cpu });
  assert.deepEqual(await chooseRuntime('auto', kvm(['/dev/kvm'], 'flags : fpu vmx sse'), io()), {
    runtime: 'microvm',
    microvmOnlyWithKvm: true,
  });
  assert.deepEqual(await chooseRuntime('auto', kvm(['/dev/kvm', '/sys/module/kvm_pvm'], 'flags : vmx'), io()), {
    runtime: 'process',
  });
  assert.deepEqual(await chooseRuntime('auto', kvm(['/dev/kvm'], 'flags : fpu sse'), io()), { runtime: 'process' });
  assert.deepEqual(await chooseRuntime('auto', kvm([], 'flags : svm'), io()), { runtime: 'process' });
});
