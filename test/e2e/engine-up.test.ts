// `skiff up` as root (runtime auto, so process) supervises its own containerd (socket under D/containerd) so that
// `skiff image` works against it, names the runtime in `skiff status` and in each node's nodeInfo, and runs pods as
// runc containers: an imported busybox on a node-group node, then on a Fargate node capped at its provisioned size.
// Stopping Skiff leaves no containerd process or network namespace behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { running, walkthrough } from './harness/cluster.js';
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
  const skiff = await startSkiff();
  const dataDir = skiff.dataDir;
  try {
    const status = await run(skiffBin, ['status', '--data-dir', dataDir]);
    const versions = /^ {2}runtime: {4}process \(runc (\d+\.\d+\.\d+), containerd (\d+\.\d+\.\d+)\)$/m.exec(
      status.stdout,
    );
    assert.ok(versions, status.stdout);
    assert.equal(versions[2], /\b(\d+\.\d+\.\d+)/.exec(execFileSync('containerd', ['--version']).toString())![1]);
    assert.ok(containerdPidsFor(dataDir).length >= 1, 'containerd is running under the data dir');
    const images = await run(skiffBin, ['image', 'ls', '--data-dir', dataDir]);
    assert.equal(images.code, 0, images.stderr);
    assert.match(images.stdout, /pause/);

    const image = 'import.skiff.local/e2e/busybox:1';
    writeBusyboxImage(join(dataDir, 'busybox-layout'), image, 'hello from a runc container');
    await skiff.importImage(join(dataDir, 'busybox-layout'));
    const w = await walkthrough(skiff);
    await w.nodegroup('ng', 1);
    const runPod = (name: string, namespace: string) =>
      skiff.kubectl([
        'run',
        name,
        `--image=${image}`,
        '--image-pull-policy=Never',
        '-n',
        namespace,
        '--command',
        '--',
        'sh',
        '-c',
        'cat /etc/hello.txt; sleep 3600',
      ]);
    assert.equal((await runPod('bb', 'default')).code, 0);
    const pod = await w.waitFor(async () => running(await w.pods('default', 'run=bb'))[0], 'the busybox pod to run');
    assert.match(pod.status.containerStatuses[0].containerID, /^containerd:\/\/[0-9a-f]{64}$/);
    assert.match(pod.spec.nodeName, /^ip-10-0-/);
    const info = (await w.kubectlJson('get', 'node', pod.spec.nodeName)).status.nodeInfo;
    assert.equal(info.containerRuntimeVersion, `containerd://${versions[2]}`);
    assert.equal(info.kernelVersion, release());
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))![1];
    assert.equal(info.osImage, pretty);
    const logs = await w.waitFor(async () => {
      const out = await skiff.kubectl(['logs', 'bb']);
      return out.stdout.includes('hello') && out.stdout;
    }, 'the container log');
    assert.equal(logs, 'hello from a runc container\n');

    await w.fargateProfile('fp', 'fg');
    await skiff.kubectl(['create', 'namespace', 'fg']);
    assert.equal((await runPod('bb', 'fg')).code, 0);
    const fargate = await w.waitFor(async () => running(await w.pods('fg', 'run=bb'))[0], 'the Fargate busybox pod');
    assert.match(fargate.spec.nodeName, /^fargate-ip-10-0-/);
    assert.equal(fargate.metadata.annotations.CapacityProvisioned, '0.25vCPU 0.5GB');
    const fargateInfo = (await w.kubectlJson('get', 'node', fargate.spec.nodeName)).status.nodeInfo;
    assert.equal(fargateInfo.containerRuntimeVersion, `containerd://${versions[2]}`);
    assert.equal(fargateInfo.kernelVersion, release());
    assert.equal((await skiff.kubectl(['delete', 'pod', 'bb', '-n', 'fg', '--grace-period=1'])).code, 0);
  } finally {
    await skiff.stop();
  }
  assert.deepEqual(containerdPidsFor(dataDir), []);
  const namespaces = execFileSync('ip', ['netns', 'list']).toString();
  assert.doesNotMatch(namespaces, new RegExp(dataDir.split('/').pop()!));
});
