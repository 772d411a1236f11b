// The CLI contract: `skiff up --detach` returns once ready, `status` and `env` describe it, `env` is enough for
// the aws CLI and `aws eks update-kubeconfig` + kubectl, a second `up` is refused, `down` stops it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { run, skiffBin } from './harness/skiff.js';

const dataDir = mkdtempSync(join(tmpdir(), 'skiff-cli-'));
const skiff = (...args: string[]) => run(skiffBin, [...args, '--data-dir', dataDir]);

after(async () => {
  await skiff('down');
  rmSync(dataDir, { recursive: true, force: true });
});

it('up --detach, status, env, a refused second up, down', async () => {
  const up = await run(skiffBin, [
    'up',
    '--detach',
    '--data-dir',
    dataDir,
    '--port',
    '0',
    '--eks-port',
    '0',
    '--no-merge-kubeconfig',
  ]);
  assert.equal(up.code, 0, up.stderr);
  assert.match(
    up.stdout,
    /^Skiff is ready: cluster "skiff" \(ap-northeast-2\) — kube API https:\/\/127\.0\.0\.1:\d+, EKS API http:\/\/127\.0\.0\.1:\d+/,
  );

  const status = await skiff('status');
  assert.equal(status.code, 0);
  assert.match(status.stdout, /^Skiff is running \(pid \d+\)/);

  const env = await skiff('env');
  const vars = Object.fromEntries([...env.stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
  assert.equal(vars.KUBECONFIG, join(dataDir, 'kubeconfig'));
  assert.match(vars.AWS_ACCESS_KEY_ID, /^AKIA[A-Z0-9]{16}$/);

  const clusters = await run('aws', ['eks', 'list-clusters', '--output', 'json'], { env: vars });
  assert.equal(clusters.code, 0, clusters.stderr);
  assert.deepEqual(JSON.parse(clusters.stdout).clusters, ['skiff']);
  const kubeconfig = join(dataDir, 'from-aws');
  const update = await run('aws', ['eks', 'update-kubeconfig', '--name', 'skiff', '--kubeconfig', kubeconfig], {
    env: vars,
  });
  assert.equal(update.code, 0, update.stderr);
  const cacheDir = mkdtempSync(join(tmpdir(), 'skiff-cli-cache-'));
  const ns = await run('kubectl', ['--cache-dir', cacheDir, 'get', 'ns', 'kube-system', '-o', 'name'], {
    env: { ...vars, KUBECONFIG: kubeconfig },
  });
  rmSync(cacheDir, { recursive: true, force: true });
  assert.equal(ns.stdout.trim(), 'namespace/kube-system', ns.stderr);

  const again = await run(skiffBin, [
    'up',
    '--data-dir',
    dataDir,
    '--port',
    '0',
    '--eks-port',
    '0',
    '--no-merge-kubeconfig',
  ]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^Error: Skiff is already running from .* \(pid \d+\); run "skiff down" first$/m);

  const down = await skiff('down');
  assert.match(down.stdout, /^Skiff stopped \(pid \d+\)\.$/m);
  const stopped = await skiff('status');
  assert.equal(stopped.code, 1);
  assert.match(stopped.stderr, /Skiff is not running/);
});
