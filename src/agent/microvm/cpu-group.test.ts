// The VMs' CPU group on cgroup v2 (cpu.weight, the cpu controller enabled at the root) and v1 (cpu.shares), what a
// host without one says, and QEMUs joining it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { joinVmCpuGroup, openVmCpuGroup } from './cpu-group.js';

/** A scratch cgroup root for the test, removed after it. */
function root(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'cpu-group-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('cgroup v2: the cpu controller is enabled for the root children and the group weighs as one process', (t) => {
  const dir = root(t);
  writeFileSync(join(dir, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
  writeFileSync(join(dir, 'cgroup.subtree_control'), 'memory\n');
  const group = openVmCpuGroup(dir);
  assert.equal(group.dir, join(dir, 'skiff-microvms'));
  assert.equal(readFileSync(join(dir, 'cgroup.subtree_control'), 'utf8'), '+cpu');
  assert.equal(readFileSync(join(dir, 'skiff-microvms', 'cpu.weight'), 'utf8'), '100');
  assert.ok(joinVmCpuGroup(group, 4242));
  assert.equal(readFileSync(join(dir, 'skiff-microvms', 'cgroup.procs'), 'utf8'), '4242');
});

test('cgroup v1: the group lives in the cpu hierarchy with the default shares', (t) => {
  const dir = root(t);
  mkdirSync(join(dir, 'cpu'));
  writeFileSync(join(dir, 'cpu', 'cpu.shares'), '1024\n');
  const group = openVmCpuGroup(dir);
  assert.equal(group.dir, join(dir, 'cpu', 'skiff-microvms'));
  assert.equal(readFileSync(join(dir, 'cpu', 'skiff-microvms', 'cpu.shares'), 'utf8'), '1024');
});

test('a host without a CPU controller says so, and joining is then refused', (t) => {
  const v2 = root(t);
  writeFileSync(join(v2, 'cgroup.controllers'), 'memory pids\n');
  assert.match(openVmCpuGroup(v2).problem ?? '', /no cpu controller/);
  const none = openVmCpuGroup(root(t));
  assert.match(none.problem ?? '', /no cpu cgroup hierarchy/);
  assert.equal(joinVmCpuGroup(none, 4242), false);
});
