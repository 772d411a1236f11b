// The CLI contract: `skiff up --detach` returns once ready naming its runtime, `status` and `env` describe it, `env`
// is enough for the aws CLI and `aws eks update-kubeconfig` + kubectl, a node group's nodes take the first of
// `--instance-types` and say they are simulated, a second `up` is refused, `down` stops it; a busy port is named.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { release, tmpdir } from 'node:os';
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
    '--runtime',
    'simulated',
  ]);
  assert.equal(up.code, 0, up.stderr);
  assert.match(
    up.stdout,
    /^Skiff is ready: cluster "skiff" \(ap-northeast-2\) — runtime simulated \(no container runs\), kube API https:\/\/127\.0\.0\.1:\d+, EKS API http:\/\/127\.0\.0\.1:\d+/,
  );

  const status = await skiff('status');
  assert.equal(status.code, 0);
  assert.match(status.stdout, /^Skiff is running \(pid \d+\)/);
  assert.match(status.stdout, /^ {2}runtime: {4}simulated \(no container runs\)$/m);

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
  assert.equal(ns.stdout.trim(), 'namespace/kube-system', ns.stderr);

  const ng = await run(
    skiffBin,
    [
      'create',
      'nodegroup',
      '--cluster',
      'skiff',
      '--name',
      'typed',
      '--nodes',
      '1',
      '--instance-types',
      'c5.xlarge,m5.large',
    ],
    { env: vars },
  );
  assert.equal(ng.code, 0, ng.stderr);
  let node: any;
  for (let i = 0; i < 100 && !node?.status?.nodeInfo?.containerRuntimeVersion?.startsWith('simulated'); i++) {
    await new Promise((r) => setTimeout(r, 200));
    const got = await run(
      'kubectl',
      ['--cache-dir', cacheDir, 'get', 'nodes', '-l', 'eks.amazonaws.com/nodegroup=typed', '-o', 'json'],
      {
        env: { ...vars, KUBECONFIG: kubeconfig },
      },
    );
    node = JSON.parse(got.stdout || '{"items":[]}').items[0];
  }
  rmSync(cacheDir, { recursive: true, force: true });
  assert.equal(node.metadata.labels['node.kubernetes.io/instance-type'], 'c5.xlarge');
  assert.equal(node.status.nodeInfo.containerRuntimeVersion, 'simulated://skiff');
  assert.match(node.status.nodeInfo.osImage, /^Skiff simulated runtime, no container runs/);
  assert.equal(node.status.nodeInfo.kernelVersion, release());

  const again = await run(skiffBin, [
    'up',
    '--data-dir',
    dataDir,
    '--port',
    '0',
    '--eks-port',
    '0',
    '--no-merge-kubeconfig',
    '--runtime',
    'simulated',
  ]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^Error: Skiff is already running from .* \(pid \d+\); run "skiff down" first$/m);

  const down = await skiff('down');
  assert.match(down.stdout, /^Skiff stopped \(pid \d+\)\.$/m);
  const stopped = await skiff('status');
  assert.equal(stopped.code, 1);
  assert.match(stopped.stderr, /Skiff is not running/);
});

it('a busy port stops skiff up with the reason on stderr, in the foreground and with --detach', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as { port: number }).port;
  const busyDir = mkdtempSync(join(tmpdir(), 'skiff-busy-'));
  try {
    for (const detach of [[], ['--detach']]) {
      const up = await run(skiffBin, [
        'up',
        ...detach,
        '--data-dir',
        busyDir,
        '--port',
        String(port),
        '--eks-port',
        '0',
        '--no-merge-kubeconfig',
        '--runtime',
        'simulated',
      ]);
      assert.equal(up.code, 1, `${detach}: ${up.stdout}`);
      assert.equal(up.stderr, `Error: port ${port} on 127.0.0.1 is in use: pass --port or stop what holds it\n`);
    }
  } finally {
    holder.close();
    rmSync(busyDir, { recursive: true, force: true });
  }
});
