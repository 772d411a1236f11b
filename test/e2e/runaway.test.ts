// Issue 19's two runaways on a real `skiff up --runtime simulated`, surviving a restart: a Deployment whose pod
// template has `spec: {}` and a node group of desiredSize 0.5, both written into state.db behind the APIs' backs
// (validation bypassed) together with 20,000 Events a runaway left behind. `skiff up` on that data dir is ready
// within 10 s, /healthz answers in under 100 ms while the controllers catch up, and the store grows by a bounded
// number of writes.
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { openStore } from '../../src/store/index.js';
import { run, type SkiffProcess, skiffBin, startSkiff } from './harness/skiff.js';

let skiff: SkiffProcess | undefined;
after(async () => {
  await skiff?.stop();
});

async function healthzMs(s: SkiffProcess): Promise<number> {
  const started = Date.now();
  const reply = await fetch(`${s.kubeEndpoint}/healthz`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  return reply?.ok ? Date.now() - started : Number.POSITIVE_INFINITY;
}

/** The store's revision now: every write since bumps it. */
async function revision(s: SkiffProcess): Promise<number> {
  const { stdout } = await s.kubectl(['get', '--raw', '/api/v1/namespaces/default/configmaps?limit=1']);
  return Number(JSON.parse(stdout).metadata.resourceVersion);
}

it('restarts with the runaway objects present, ready within 10 s, /healthz fast, writes bounded', async () => {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  skiff = await startSkiff(['--runtime', 'simulated']);
  const created = await run(skiffBin, ['create', 'nodegroup', '--cluster', 'skiff', '--name', 'half', '--nodes', '1'], {
    env: { SKIFF_DATA_DIR: skiff.dataDir },
    timeoutMs: 120_000,
  });
  assert.equal(created.code, 0, created.stderr);
  await skiff.kill('SIGTERM');

  const store = await openStore({ kind: 'sqlite', path: skiff.dataDir });
  const key = '/eks/nodegroups/skiff/half';
  const stored = JSON.parse((await store.get(key))!.value);
  stored.nodegroup.scalingConfig = { minSize: 0, maxSize: 2, desiredSize: 0.5 };
  await store.update(key, JSON.stringify(stored));
  await store.create(
    '/registry/apps/deployments/default/bad',
    JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'bad',
        namespace: 'default',
        uid: 'bad-uid',
        generation: 1,
        creationTimestamp: '2026-01-01T00:00:00Z',
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'bad' } },
        template: { metadata: { labels: { app: 'bad' } }, spec: {} },
      },
    }),
  );
  for (let i = 0; i < 20_000; i++) {
    const name = `bad.${i.toString(16).padStart(16, '0')}`;
    await store.create(
      `/registry/core/events/default/${name}`,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: 'default', uid: `e-${i}`, creationTimestamp: '2026-01-01T00:00:00Z' },
        involvedObject: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'default',
          name: 'bad',
          uid: 'bad-uid',
        },
        reason: 'FailedCreate',
        message: `attempt ${i}`,
        type: 'Warning',
        count: 1,
      }),
    );
  }
  await store.close();

  const began = Date.now();
  await skiff.restart();
  const readyMs = Date.now() - began;
  assert.ok(readyMs < 10_000, `ready after ${readyMs} ms`);

  const from = await revision(skiff);
  const latencies: number[] = [];
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    latencies.push(await healthzMs(skiff));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const p90 = [...latencies].sort((a, b) => a - b)[Math.floor(latencies.length * 0.9)];
  assert.ok(p90 < 100, `/healthz took ${latencies.join(', ')} ms`);
  const writes = (await revision(skiff)) - from;
  assert.ok(writes < 200, `${writes} writes in 15 s`);
  console.log(`ready after ${readyMs} ms; /healthz p90 ${p90} ms; ${writes} writes in 15 s`);
  // The node the group had before its size went bad is left as it is: neither chased nor churned.
  const nodes = await skiff.kubectl(['get', 'nodes', '-l', 'eks.amazonaws.com/nodegroup=half', '-o', 'name']);
  assert.equal(nodes.stdout.trim().split('\n').length, 1, nodes.stdout);
  const replicaSets = await skiff.kubectl(['get', 'replicasets', '-o', 'name']);
  assert.equal(replicaSets.stdout.trim(), '');
  const deleted = await skiff.kubectl(['delete', 'deployment', 'bad', '--timeout=10s']);
  assert.equal(deleted.code, 0, deleted.stderr);
});
