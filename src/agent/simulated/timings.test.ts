// Simulated timings: defaults, JSON and YAML overrides merged key by key, a missing file, and clear errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { defaultSimulatedTimings, loadSimulatedTimings, simulatedTimings } from './timings.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-timings-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('gives the defaults without a file or when the file is missing', () => {
  assert.deepEqual(loadSimulatedTimings(), defaultSimulatedTimings);
  assert.deepEqual(loadSimulatedTimings(join(dir, 'absent.yaml')), defaultSimulatedTimings);
});

it('reads YAML and merges records key by key', () => {
  const path = join(dir, 'timings.yaml');
  writeFileSync(path, 'sandboxBootMs:\n  fargate: 35000\nimagePullMs:\n  nginx: 4200\nimageCache: node\n');
  const timings = loadSimulatedTimings(path);
  assert.deepEqual(timings.sandboxBootMs, {
    nodegroup: defaultSimulatedTimings.sandboxBootMs.nodegroup,
    fargate: 35000,
  });
  assert.equal(timings.imagePullMs.nginx, 4200);
  assert.equal(timings.imagePullMs.default, defaultSimulatedTimings.imagePullMs.default);
  assert.equal(timings.imageCache, 'node');
  assert.equal(timings.containerStartMs, defaultSimulatedTimings.containerStartMs);
});

it('reads JSON', () => {
  const path = join(dir, 'timings.json');
  writeFileSync(path, JSON.stringify({ terminationDelayMs: 50, missingImages: ['nginxx'] }));
  const timings = loadSimulatedTimings(path);
  assert.equal(timings.terminationDelayMs, 50);
  assert.deepEqual(timings.missingImages, ['nginxx']);
});

it('rejects unknown keys, wrong types and unparsable files with the file named', () => {
  assert.throws(() => simulatedTimings({ sandboxBoot: 1 }), /unknown key "sandboxBoot"/);
  assert.throws(() => simulatedTimings({ containerStartMs: 'fast' }), /containerStartMs must be a number/);
  assert.throws(
    () => simulatedTimings({ sandboxBootMs: { fargate: '1s' } }),
    /sandboxBootMs must be a mapping of numbers/,
  );
  assert.throws(() => simulatedTimings({ imageCache: 'pod' }), /imageCache must be "host" or "node"/);
  const path = join(dir, 'broken.yaml');
  writeFileSync(path, 'a: [1,\n');
  assert.throws(
    () => loadSimulatedTimings(path),
    new RegExp(`^Error: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`),
  );
});
