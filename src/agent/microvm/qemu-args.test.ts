// The micro-VM command line: the pod's exact vCPUs and memory, the lab's safe flags, KVM only when chosen, a MAC
// unique per pod IP, and option values with commas escaped as QEMU reads them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kernelCommandLine, macOf, qemuArgs, type VmConfig } from './qemu-args.js';

const config: VmConfig = {
  kernel: '/cache/vmlinux',
  initrd: '/cache/initramfs.cpio',
  accel: 'tcg',
  vcpus: 2,
  memoryMiB: 4096,
  tap: 'vm0123456789ab',
  mac: macOf('10.0.130.7'),
  share: '/data/sandboxes/u,1/vm/share',
  socket: '/run/skiff-microvm/x.sock',
  consoleLog: '/data/sandboxes/u/vm/console.log',
  pidFile: '/data/sandboxes/u/vm/qemu.pid',
  name: 'skiff-pod-u',
};

const value = (args: string[], flag: string) => args.filter((_, i) => args[i - 1] === flag);

test('the pod gets its provisioned vCPUs and memory on a microvm machine without ACPI', () => {
  const args = qemuArgs(config);
  assert.deepEqual(value(args, '-M'), ['microvm,acpi=off']);
  assert.deepEqual(value(args, '-smp'), ['2']);
  assert.deepEqual(value(args, '-m'), ['4096M']);
  assert.ok(args.includes('-no-reboot'));
  assert.ok(args.includes('-nodefaults'));
});

test('TCG gets a bounded translation cache; KVM only when chosen, with the host CPU', () => {
  assert.deepEqual(value(qemuArgs(config), '-accel'), ['tcg,tb-size=16']);
  assert.deepEqual(value(qemuArgs({ ...config, accel: 'kvm' }), '-accel'), ['kvm']);
  assert.deepEqual(value(qemuArgs({ ...config, accel: 'kvm' }), '-cpu'), ['host']);
});

test("the kernel command line has the lab's flags against hangs and panics, and nothing of the pod", () => {
  const line = kernelCommandLine().split(' ');
  for (const flag of ['panic=-1', 'reboot=t', 'no_timer_check', 'tsc_early_khz=2600000', 'tsc=reliable'])
    assert.ok(line.includes(flag), flag);
  assert.ok(!line.some((flag) => flag.startsWith('skiff.')), 'one template serves every pod: no pod on the line');
});

test('a template shares its RAM file; a restored VM maps it privately and waits for its state over QMP', () => {
  const template = qemuArgs({ ...config, memoryFile: { path: '/cache/t/memory', shared: true }, qmp: '/run/t.qmp' });
  assert.deepEqual(value(template, '-M'), ['microvm,acpi=off,memory-backend=ram']);
  assert.deepEqual(value(template, '-object'), [
    'memory-backend-file,id=ram,size=4096M,mem-path=/cache/t/memory,share=on',
  ]);
  assert.deepEqual(value(template, '-qmp'), ['unix:/run/t.qmp,server=on,wait=off']);
  assert.ok(!template.includes('-incoming'));
  const restored = qemuArgs({ ...config, memoryFile: { path: '/cache/t/memory', shared: false }, incoming: true });
  assert.match(value(restored, '-object')[0]!, /share=off$/);
  assert.deepEqual(value(restored, '-incoming'), ['defer']);
  assert.deepEqual(value(qemuArgs(config), '-object'), [], 'a VM without a template boots in anonymous RAM');
});

test('devices: virtio-net on the tap with the MAC, the 9p share, the agent port on virtio-serial', () => {
  const devices = value(qemuArgs(config), '-device');
  assert.ok(devices.includes('virtio-net-device,netdev=net0,mac=52:54:0a:00:82:07'));
  assert.ok(devices.includes('virtio-9p-device,fsdev=pod,mount_tag=pod'));
  assert.ok(devices.includes('virtserialport,chardev=agent,name=skiff'));
  const fsdev = value(qemuArgs(config), '-fsdev')[0]!;
  assert.match(fsdev, /path=\/data\/sandboxes\/u,,1\/vm\/share,security_model=passthrough/);
  assert.deepEqual(value(qemuArgs(config), '-netdev'), ['tap,id=net0,ifname=vm0123456789ab,script=no,downscript=no']);
  assert.ok(
    value(qemuArgs(config), '-chardev').includes('socket,id=agent,path=/run/skiff-microvm/x.sock,server=on,wait=off'),
  );
});

test('MACs differ per pod IP and a fractional vCPU count is refused', () => {
  assert.notEqual(macOf('10.0.1.5'), macOf('10.0.1.6'));
  assert.equal(macOf('10.0.255.1'), '52:54:0a:00:ff:01');
  assert.throws(() => qemuArgs({ ...config, vcpus: 0.25 }), /whole number of vCPUs/);
});
