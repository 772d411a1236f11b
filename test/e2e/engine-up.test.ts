// `skiff up --runtime process` supervises its own containerd (socket under D/containerd) so that `skiff image`
// works against it; stopping Skiff leaves no containerd process or network namespace of it behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { run, skiffBin, startSkiff } from './harness/skiff.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/containerd');

function containerdPidsFor(dataDir: string): string[] {
  const pids: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = execFileSync('cat', [join('/proc', pid, 'cmdline')]).toString();
      if (cmdline.startsWith('containerd') && cmdline.includes(dataDir)) pids.push(pid);
    } catch {}
  }
  return pids;
}

it('runs containerd for the process runtime and removes it on stop', {
  skip: !canRun && 'needs root and containerd',
}, async () => {
  const skiff = await startSkiff(['--runtime', 'process']);
  const dataDir = skiff.dataDir;
  try {
    assert.ok(containerdPidsFor(dataDir).length >= 1, 'containerd is running under the data dir');
    const images = await run(skiffBin, ['image', 'ls', '--data-dir', dataDir]);
    assert.equal(images.code, 0, images.stderr);
    assert.match(images.stdout, /pause/);
  } finally {
    await skiff.stop();
  }
  assert.deepEqual(containerdPidsFor(dataDir), []);
  const namespaces = execFileSync('ip', ['netns', 'list']).toString();
  assert.doesNotMatch(namespaces, new RegExp(dataDir.split('/').pop()!));
});
