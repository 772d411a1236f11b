// Data at rest is private (issue 19): on a real `skiff up --runtime simulated`, every file under the data dir has
// no group or other bits (and modes loosened while it was down are corrected at the next start), a Secret's value
// is nowhere in state.db or its WAL, it reads back intact after a key rotation (new key first, old one kept), and
// `skiff down`/`skiff status` leave alone an unrelated process holding the PID of a stale D/skiff.json.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { run, type SkiffProcess, skiffBin, startSkiff } from './harness/skiff.js';

let skiff: SkiffProcess | undefined;
after(async () => {
  await skiff?.stop();
});

const value = `s3cr3t-${process.pid}-${Date.now()}`;

/** Every path under `dir` with group or other bits, skipping what the container engine and the pods own. */
function loosePaths(dir: string, top = dir): string[] {
  const loose: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) continue;
    if ((stat.mode & 0o077) !== 0) loose.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory() && !(dir === top && ['containerd', 'sandboxes'].includes(entry)))
      loose.push(...loosePaths(path, top));
  }
  return loose;
}

function storeFilesContain(dataDir: string, needle: string): boolean {
  return ['state.db', 'state.db-wal', 'state.db-shm'].some(
    (name) => existsSync(join(dataDir, name)) && readFileSync(join(dataDir, name)).includes(needle),
  );
}

it('keeps the data dir private, Secrets encrypted across a key rotation, and a stale PID alone', async () => {
  skiff = await startSkiff(['--runtime', 'simulated']);
  const { dataDir } = skiff;
  const created = await skiff.kubectl(['create', 'secret', 'generic', 'db', `--from-literal=password=${value}`]);
  assert.equal(created.code, 0, created.stderr);

  assert.equal(lstatSync(dataDir).mode & 0o777, 0o700);
  assert.deepEqual(loosePaths(dataDir), []);
  assert.ok(existsSync(join(dataDir, 'pki', 'encryption-config.yaml')));
  assert.equal(storeFilesContain(dataDir, value), false, 'the value is in state.db');
  assert.equal(storeFilesContain(dataDir, Buffer.from(value).toString('base64')), false, 'its base64 is in state.db');
  assert.ok(storeFilesContain(dataDir, 'k8s:enc:aescbc:v1:key1:'));

  // Rotation: a new key first, the old one kept to read; loosened modes while down.
  await skiff.kill('SIGTERM');
  const configFile = join(dataDir, 'pki', 'encryption-config.yaml');
  const config = parse(readFileSync(configFile, 'utf8'));
  const key2 = { name: 'key2', secret: Buffer.alloc(32, 9).toString('base64') };
  config.resources[0].providers.unshift({ aesgcm: { keys: [key2] } });
  writeFileSync(configFile, stringify(config));
  chmodSync(configFile, 0o644);
  chmodSync(join(dataDir, 'state.db'), 0o644);
  chmodSync(join(dataDir, 'logs'), 0o755);
  await skiff.restart();
  assert.deepEqual(loosePaths(dataDir), []);
  const read = await skiff.kubectl(['get', 'secret', 'db', '-o', 'jsonpath={.data.password}']);
  assert.equal(Buffer.from(read.stdout, 'base64').toString(), value);
  assert.ok(storeFilesContain(dataDir, 'k8s:enc:aesgcm:v1:key2:'), 'rewritten under the new key');
  assert.equal(storeFilesContain(dataDir, value), false);

  // A stale skiff.json whose PID an unrelated process now holds.
  const recorded = JSON.parse(readFileSync(join(dataDir, 'skiff.json'), 'utf8'));
  await skiff.kill('SIGTERM');
  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    writeFileSync(join(dataDir, 'skiff.json'), JSON.stringify({ ...recorded, pid: sleeper.pid }));
    const status = await run(skiffBin, ['status', '--data-dir', dataDir]);
    assert.notEqual(status.code, 0);
    assert.match(status.stderr, /Skiff is not running/);
    const down = await run(skiffBin, ['down', '--data-dir', dataDir]);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /Skiff is not running/);
    assert.equal(sleeper.exitCode, null);
    assert.equal(sleeper.signalCode, null);
    process.kill(sleeper.pid!, 0);
  } finally {
    sleeper.kill('SIGKILL');
  }
  await skiff.restart();
});
