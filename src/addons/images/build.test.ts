// The add-on image layout: every EKS image name in one OCI layout, each with its program's entrypoint and the same
// two layers (a stand-in runtime here, not the host's node), the programs' scripts calling the bundle, and the
// cache: a second call with the same content builds nothing, and stale layouts are pruned.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { readTar } from '../../agent/engine/oci/tar.js';
import { addonImages } from '../manifests.js';
import { ensureAddonLayout, executableFor } from './build.js';
import { sharedLibraries } from './runtime-layer.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-addon-images-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const images = addonImages({ region: 'eu-west-1', clusterDns: '10.100.0.10', apiServer: 'https://x' });
const blob = (layout: string, digest: string) => readFileSync(join(layout, 'blobs', 'sha256', digest.slice(7)));

describe('ensureAddonLayout', () => {
  const fakeNode = join(dir, 'node');
  writeFileSync(fakeNode, 'not really node');
  const runtime = { node: fakeNode, libraries: [] };

  it('writes every image with its entrypoint over shared layers, then serves it from the cache', async () => {
    const first = await ensureAddonLayout(images, { cacheDir: join(dir, 'cache'), runtime });
    assert.equal(first.built, true);
    const index = JSON.parse(readFileSync(join(first.dir, 'index.json'), 'utf8'));
    const names = index.manifests.map((m: any) => m.annotations['io.containerd.image.name']);
    assert.deepEqual(names, images);
    const layers = new Set<string>();
    for (const m of index.manifests) {
      const manifest = JSON.parse(String(blob(first.dir, m.digest)));
      const config = JSON.parse(String(blob(first.dir, manifest.config.digest)));
      const name = m.annotations['io.containerd.image.name'];
      assert.deepEqual(config.config.Entrypoint, [executableFor(name)!.path]);
      for (const l of manifest.layers) layers.add(l.digest);
    }
    assert.equal(layers.size, 2, 'the images share their two layers');
    const coredns = JSON.parse(String(blob(first.dir, index.manifests[0].digest)));
    const programs = readTar(gunzipSync(blob(first.dir, coredns.layers[1].digest)));
    const script = programs.find((e) => e.path === 'coredns');
    assert.equal(
      String(script?.content),
      `#!/usr/bin/node\nrequire('/skiff/addons.cjs').run("coredns", process.argv.slice(2));\n`,
    );
    assert.ok(programs.some((e) => e.path === 'usr/local/bin/kube-proxy'));
    assert.match(String(programs.find((e) => e.path === 'skiff/addons.cjs')?.content), /plugin\/kubernetes/);

    const second = await ensureAddonLayout(images, { cacheDir: join(dir, 'cache'), runtime });
    assert.deepEqual(second, { ...first, built: false });
  });
});

describe('the cache', () => {
  it('removes layouts unused for a day and old scratch dirs when it builds a new one, keeping recent ones', async () => {
    const cacheDir = join(dir, 'prune');
    const runtime = { node: join(dir, 'node'), libraries: [] };
    const recent = await ensureAddonLayout(images, { cacheDir, runtime });
    const old = join(cacheDir, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    const scratch = join(cacheDir, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.tmp-1');
    for (const [path, hours] of [
      [old, 25],
      [scratch, 2],
    ] as const) {
      mkdirSync(path);
      const then = new Date(Date.now() - hours * 3_600_000);
      utimesSync(path, then, then);
    }
    const next = await ensureAddonLayout(images.slice(0, 1), { cacheDir, runtime });
    assert.equal(next.built, true);
    assert.deepEqual(readdirSync(cacheDir).sort(), [next.key, recent.key].sort());
  });
});

describe('sharedLibraries', () => {
  it('lists the loader and libc of the host node', () => {
    const libs = sharedLibraries(process.execPath);
    assert.ok(
      libs.some((l) => /\/libc\.so\.6$/.test(l)),
      libs.join(' '),
    );
    assert.ok(
      libs.some((l) => /ld-linux/.test(l)),
      libs.join(' '),
    );
  });
});
