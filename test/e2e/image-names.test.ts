// Issue 20 end to end on `skiff up --runtime process`: an OCI layout whose index names only the tag `bars` is refused
// without --base-name, imported with `--base-name busybox`, and Fargate pods that write `busybox:bars`,
// `docker.io/library/busybox:bars` or the digest, each with imagePullPolicy Never, all run and show the normalised
// image and its repository digest. Removed with `skiff image rm`, the image's crashing pod gets a Warning event
// instead of starting, and runs again once the image is back.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { packOciArchive } from '../../src/agent/engine/oci/layout.js';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { running, walkthrough } from './harness/cluster.js';
import { run, skiffBin, startSkiff } from './harness/skiff.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/containerd');

const pod = (name: string, image: string, script: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'fg', labels: { app: 'bars' } },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'main', image, imagePullPolicy: 'Never', command: ['sh', '-c', script] }],
  },
});

it('pods find an imported image by its short name, its full name and its digest', {
  skip: !canRun && 'needs root and containerd',
}, async () => {
  const skiff = await startSkiff(['--runtime', 'process']);
  try {
    const layout = join(skiff.dataDir, 'bars-layout');
    const written = writeBusyboxImage(layout, 'docker.io/library/busybox:bars', 'bars');
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
    delete index.manifests[0].annotations['io.containerd.image.name'];
    writeFileSync(join(layout, 'index.json'), JSON.stringify(index));
    const image = (...args: string[]) => run(skiffBin, ['image', ...args, '--data-dir', skiff.dataDir]);

    const unnamed = await image('import', layout);
    assert.notEqual(unnamed.code, 0);
    assert.match(unnamed.stderr, /only the tag "bars": pass --base-name <repository>/);
    assert.doesNotMatch((await image('ls')).stdout, /import-|bars/);

    const imported = await image('import', '--base-name', 'busybox', layout);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(imported.stdout, 'imported docker.io/library/busybox:bars; pods use image: busybox:bars\n');
    assert.match((await image('ls')).stdout, /^docker\.io\/library\/busybox\s+bars\s+[0-9a-f]{13}\s/m);
    const again = await image('import', '--base-name', 'docker.io/library/busybox', layout);
    assert.equal(again.stdout, imported.stdout);
    const archive = join(skiff.dataDir, 'bars.tar');
    writeFileSync(archive, packOciArchive(layout));
    assert.equal((await image('import', '--base-name', 'busybox', archive)).stdout, imported.stdout);

    const w = await walkthrough(skiff);
    await w.fargateProfile('fp', 'fg');
    await skiff.kubectl(['create', 'namespace', 'fg']);
    const digestRef = `busybox@${written.manifestDigest}`;
    const pods = [
      pod('short', 'busybox:bars', 'sleep 3600'),
      pod('full', 'docker.io/library/busybox:bars', 'sleep 3600'),
      pod('digest', digestRef, 'sleep 3600'),
      pod('crasher', 'busybox:bars', 'sleep 2; exit 1'),
    ];
    const applied = await skiff.kubectl(['create', '-f', '-'], pods.map((p) => JSON.stringify(p)).join('\n'));
    assert.equal(applied.code, 0, applied.stderr);
    const up = await w.waitFor(
      async () => {
        const list = running(await w.pods('fg', 'app=bars')).filter((p: any) => p.metadata.name !== 'crasher');
        return list.length === 3 && list;
      },
      'the three pods to run',
      120_000,
    );
    for (const p of up) {
      const status = p.status.containerStatuses[0];
      assert.equal(status.image, 'docker.io/library/busybox:bars', p.metadata.name);
      assert.equal(status.imageID, `docker.io/library/busybox@${written.manifestDigest}`, p.metadata.name);
      assert.match(p.spec.nodeName, /^fargate-ip-/);
    }

    const removed = await image('rm', 'busybox:bars');
    assert.equal(removed.code, 0, removed.stderr);
    assert.doesNotMatch((await image('ls')).stdout, /bars/);
    const warning = await w.waitFor(
      async () =>
        (await w.events('fg', 'crasher')).find((e: any) => e.type === 'Warning' && e.reason === 'ErrImageNeverPull'),
      'a Warning event for the vanished image',
      90_000,
    );
    assert.equal(warning.message, 'Container image "busybox:bars" is not present with pull policy of Never');
    const waiting = (await w.kubectlJson('get', 'pod', 'crasher', '-n', 'fg')).status.containerStatuses[0];
    assert.equal(waiting.state.waiting?.reason, 'ErrImageNeverPull');
    const restarts = waiting.restartCount;

    assert.equal((await image('import', '--base-name', 'busybox', layout)).code, 0);
    await w.waitFor(
      async () =>
        (await w.kubectlJson('get', 'pod', 'crasher', '-n', 'fg')).status.containerStatuses[0].restartCount > restarts,
      'the pod to start again once the image is back',
      90_000,
    );
  } finally {
    await skiff.stop();
  }
});
