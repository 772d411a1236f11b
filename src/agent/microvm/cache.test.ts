// The build cache: a product is built once into a temporary dir and renamed into place; what a killed build left
// is removed before the next one.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cached, cacheKey } from './cache.js';

test('builds once, then finds the product; a dead build is cleaned up', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mvcache-'));
  try {
    mkdirSync(join(dir, 'kernel-old.build-999999999'));
    let builds = 0;
    const build = async (into: string) => {
      builds++;
      writeFileSync(join(into, 'vmlinux'), 'image');
    };
    const key = cacheKey('config', 'source');
    const path = await cached('kernel', key, 'vmlinux', build, dir);
    assert.equal(readFileSync(path, 'utf8'), 'image');
    assert.equal(await cached('kernel', key, 'vmlinux', build, dir), path);
    assert.equal(builds, 1);
    assert.equal(existsSync(join(dir, 'kernel-old.build-999999999')), false);
    await assert.rejects(
      cached('kernel', 'other', 'vmlinux', async () => {}, dir),
      /made no vmlinux/,
    );
    assert.notEqual(cacheKey('config', 'source'), cacheKey('config2', 'source'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
