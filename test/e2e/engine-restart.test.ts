// `skiff up --runtime process` stopped (SIGTERM, so the engine removes its pods) or killed (SIGKILL, so containerd
// keeps its sandboxes) and started again on the same data dir: the pods that ran before run again in new sandboxes
// (the kubelet re-creates them), and new pods start.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { running, walkthrough } from './harness/cluster.js';
import { run, skiffBin, startSkiff } from './harness/skiff.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/containerd');

it('runs the same pods again and starts new ones after a stop or a kill and a start on the same data dir', {
  skip: !canRun && 'needs root and containerd',
}, async () => {
  const skiff = await startSkiff(['--runtime', 'process']);
  try {
    const image = 'import.skiff.local/e2e/busybox:1';
    writeBusyboxImage(join(skiff.dataDir, 'busybox-layout'), image, 'hello again');
    const imported = await run(skiffBin, [
      'image',
      'import',
      join(skiff.dataDir, 'busybox-layout'),
      '--data-dir',
      skiff.dataDir,
    ]);
    assert.equal(imported.code, 0, imported.stderr);
    const w = await walkthrough(skiff);
    const ng = await w.skiff('create', 'nodegroup', '--cluster', 'skiff', '--name', 'ng', '--nodes', '1');
    assert.equal(ng.code, 0, ng.stderr);
    const runPod = async (name: string) => {
      const args = ['run', name, `--image=${image}`, '--image-pull-policy=Never', '--command', '--', 'sleep', '3600'];
      const out = await skiff.kubectl(args);
      assert.equal(out.code, 0, out.stderr);
    };
    const runningPod = (name: string) => async () => running(await w.pods('default', `run=${name}`))[0];
    const containerId = (pod: any): string | undefined => pod?.status.containerStatuses?.[0]?.containerID;
    const runsAgain = (pod: any, what: string) =>
      w.waitFor(
        async () => {
          const now = await runningPod(pod.metadata.name)();
          const id = containerId(now);
          return id && id !== containerId(pod) && now.status.containerStatuses[0].ready && now;
        },
        what,
        120_000,
      );
    await runPod('before');
    const before = await w.waitFor(runningPod('before'), 'the pod to run before the restart', 120_000);

    await skiff.kill('SIGTERM');
    await skiff.restart();
    const again = await runsAgain(before, 'the pod from before the stop to run in a new sandbox');
    assert.equal(again.metadata.uid, before.metadata.uid);
    await runPod('after');
    const after = await w.waitFor(runningPod('after'), 'a new pod to run after the restart', 120_000);

    // Killed outright, Skiff leaves its sandboxes in containerd: the next start removes them, so the pods'
    // sandbox names are free again and both pods run in new sandboxes.
    await skiff.kill('SIGKILL');
    await skiff.restart();
    await runsAgain(again, 'the first pod to run again after a kill');
    await runsAgain(after, 'the second pod to run again after a kill');
    await runPod('last');
    await w.waitFor(runningPod('last'), 'a new pod to run after the kill', 120_000);
  } finally {
    await skiff.stop();
  }
});
