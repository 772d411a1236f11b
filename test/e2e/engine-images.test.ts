// Images end to end: a registries.yaml mirror serves docker.io/library/busybox:1.36 from a local registry; a private
// registry refuses a wrong password with the kubelet's message (then back-off) and accepts the right one; `skiff image
// import` of an OCI layout makes an image runnable with imagePullPolicy Never; `skiff image ls|rm` see and remove it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { type ContainerEngine, startContainerEngine } from '../../src/agent/engine/engine.js';
import type { ImageEvent } from '../../src/agent/engine/images/events.js';
import { ImagePuller } from '../../src/agent/engine/images/puller.js';
import { readContainerLogText } from '../../src/agent/engine/logs/reader.js';
import { packOciArchive } from '../../src/agent/engine/oci/layout.js';
import { writeBusyboxImage } from '../../src/agent/engine/testing/busybox-image.js';
import { pushImage, startRegistry, type TestRegistry } from '../../src/agent/engine/testing/registry.js';

const root = mkdtempSync(join(tmpdir(), 'skiff-engine-images-'));
const dataDir = join(root, 'data');
const cidrByte = 100 + Math.floor(Math.random() * 100);
let mirror: TestRegistry;
let secured: TestRegistry;
let engine: ContainerEngine;
let hub: ReturnType<typeof writeBusyboxImage>;
const cli = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args, '--data-dir', dataDir], {
    cwd: new URL('../..', import.meta.url).pathname,
  });

before(async () => {
  mirror = await startRegistry(join(root, 'mirror'));
  secured = await startRegistry(join(root, 'secured'), { user: 'alice', password: 'right' });
  hub = writeBusyboxImage(join(root, 'hub'), 'library/busybox:1.36', 'from the mirror');
  pushImage(join(root, 'hub'), 'library/busybox:1.36', `${mirror.host}/library/busybox:1.36`);
  writeBusyboxImage(join(root, 'private'), 'lab/private:1', 'private');
  pushImage(join(root, 'private'), 'lab/private:1', `${secured.host}/lab/private:1`, 'alice:right');
  writeFileSync(
    join(root, 'registries.yaml'),
    [
      'mirrors:',
      '  docker.io:',
      `    endpoint: ["http://${mirror.host}"]`,
      `  "${secured.host}":`,
      `    endpoint: ["http://${secured.host}"]`,
      '',
    ].join('\n'),
  );
  engine = await startContainerEngine({
    dataDir,
    vpcCidr: `10.${cidrByte}.0.0/16`,
    registriesPath: join(root, 'registries.yaml'),
    hostLink: false,
  });
});

after(async () => {
  await engine?.stop().catch((e) => console.error('engine stop', e));
  await mirror?.stop();
  await secured?.stop();
  rmSync(root, { recursive: true, force: true });
});

const secretFor = (host: string, password: string) => ({
  type: 'kubernetes.io/dockerconfigjson',
  data: {
    '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [host]: { username: 'alice', password } } })).toString(
      'base64',
    ),
  },
});

test('a registries.yaml mirror serves docker.io/library/busybox:1.36; events are the kubelet’s', async () => {
  const events: ImageEvent[] = [];
  const puller = new ImagePuller(engine.cri);
  const result = await puller.ensureImage({ image: 'docker.io/library/busybox:1.36' }, (e) => events.push(e));
  assert.deepEqual(result, { ok: true, imageRef: hub.configDigest, pulled: true });
  assert.equal(events[0]!.message, 'Pulling image "docker.io/library/busybox:1.36"');
  assert.match(
    events[1]!.message,
    /^Successfully pulled image "docker\.io\/library\/busybox:1\.36" in \d+(\.\d+)?m?s \(\d+(\.\d+)?m?s including waiting\)\. Image size: \d+ bytes\.$/,
  );
  const again: ImageEvent[] = [];
  await puller.ensureImage({ image: 'busybox:1.36' }, (e) => again.push(e));
  assert.deepEqual(
    again.map((e) => e.message),
    ['Container image "busybox:1.36" already present on machine'],
  );
});

test('a wrong password fails with the kubelet’s message, then backs off; the right one pulls', async () => {
  const image = `${secured.host}/lab/private:1`;
  const events: ImageEvent[] = [];
  const puller = new ImagePuller(engine.cri);
  const failed = await puller.ensureImage(
    { image, pullSecrets: [secretFor(secured.host, 'wrong')], backOffKey: 'pod-1/app' },
    (e) => events.push(e),
  );
  assert.equal(failed.ok, false);
  assert.equal(failed.ok === false && failed.reason, 'ErrImagePull');
  const failure = events.find((e) => e.reason === 'Failed' && e.message.startsWith('Failed to pull image'));
  assert.ok(failure, JSON.stringify(events));
  assert.match(
    failure.message,
    new RegExp(`^Failed to pull image "${image}": failed to pull and unpack image "${image}": .*401 Unauthorized`),
  );
  assert.deepEqual(events.at(-1), { type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull' });

  const backedOff = await puller.ensureImage(
    { image, pullSecrets: [secretFor(secured.host, 'wrong')], backOffKey: 'pod-1/app' },
    () => {},
  );
  assert.deepEqual(backedOff, { ok: false, reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` });

  const ok = await puller.ensureImage({ image, pullSecrets: [secretFor(secured.host, 'right')] }, () => {});
  assert.equal(ok.ok, true);
});

test('skiff image import of an OCI layout makes an image runnable with imagePullPolicy Never', async () => {
  const name = 'import.skiff.local/tools/busybox:offline';
  const layout = join(root, 'offline');
  writeBusyboxImage(layout, name, 'imported offline');
  const imported = await cli('image', 'import', layout);
  assert.equal(imported.stdout, `imported ${name}; pods use image: ${name}\n`);

  const puller = new ImagePuller(engine.cri);
  const events: ImageEvent[] = [];
  const never = await puller.ensureImage({ image: 'import.skiff.local/tools/missing:1', policy: 'Never' }, (e) =>
    events.push(e),
  );
  assert.deepEqual(never, {
    ok: false,
    reason: 'ErrImageNeverPull',
    message: 'Container image "import.skiff.local/tools/missing:1" is not present with pull policy of Never',
  });
  const present = await puller.ensureImage({ image: name, policy: 'Never' }, () => {});
  assert.equal(present.ok, true);

  const { id, config } = await engine.runPodSandbox({
    name: 'offline',
    namespace: 'default',
    uid: 'uid-o',
    ip: `10.${cidrByte}.0.5`,
  });
  const c = await engine.cri.createContainer(
    id,
    {
      metadata: { name: 'cat' },
      image: { image: name },
      command: ['/bin/cat', '/www/index.html'],
      logPath: 'cat/0.log',
    },
    config,
  );
  await engine.cri.startContainer(c);
  const log = join(config.logDirectory!, 'cat', '0.log');
  for (let i = 0; i < 100 && !(await readContainerLogText(log)); i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await readContainerLogText(log), 'imported offline\n');
  await engine.removePodSandbox(id);

  const ls = await cli('image', 'ls');
  assert.match(ls.stdout, /^import\.skiff\.local\/tools\/busybox\s+offline\s+[0-9a-f]{13}\s+\S+$/m);
  assert.equal((await cli('image', 'rm', name)).stdout, `Deleted: ${name}\n`);
  assert.equal(await engine.cri.imageStatus(name), null);
  await assert.rejects(cli('image', 'rm', name), /no image import\.skiff\.local\/tools\/busybox:offline/);
});

test('skiff image rm removes any image skiff image ls lists, even one plain ctr named import-<date>:<tag>', async () => {
  const layout = join(root, 'legacy');
  writeBusyboxImage(layout, 'docker.io/library/busybox:legacy');
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
  delete index.manifests[0].annotations['io.containerd.image.name'];
  writeFileSync(join(layout, 'index.json'), JSON.stringify(index));
  const archive = join(root, 'legacy.tar');
  writeFileSync(archive, packOciArchive(layout));
  await promisify(execFile)('ctr', ['-a', engine.socketPath, '-n', 'k8s.io', 'images', 'import', archive]);
  const row = (await cli('image', 'ls')).stdout.split('\n').find((l) => /\slegacy\s/.test(l));
  assert.ok(row, 'ls lists the image');
  const [repo, tag, id] = row.split(/\s+/);
  assert.match(repo!, /^docker\.io\/library\/import-\d{4}-\d{2}-\d{2}$/);
  assert.equal((await cli('image', 'rm', `${repo}:${tag}`)).stdout, `Deleted: ${repo}:${tag}\n`);
  assert.doesNotMatch((await cli('image', 'ls')).stdout, new RegExp(id!));
});

test('image GC above the high threshold removes unused images, least recently used first, never the pause image', async () => {
  const { ImageGarbageCollector } = await import('../../src/agent/engine/images/gc.js');
  const keep = (await engine.cri.listImages()).find((i) => i.repoTags.includes(engine.sandboxImage))!;
  const before = await engine.cri.listImages();
  assert.ok(before.length >= 2);
  const calm = new ImageGarbageCollector(engine.cri, {
    keep: [engine.sandboxImage],
    usage: () => ({ capacityBytes: 1e9, availableBytes: 5e8 }),
  });
  assert.deepEqual(await calm.collect(), []);
  const full = new ImageGarbageCollector(engine.cri, {
    keep: [engine.sandboxImage],
    usage: () => ({ capacityBytes: 1e9, availableBytes: 1e8 }),
  });
  const removed = await full.collect();
  assert.ok(removed.length >= 1);
  const after = await engine.cri.listImages();
  assert.ok(after.some((i) => i.id === keep.id));
  for (const id of removed) assert.ok(!after.some((i) => i.id === id));
});
