// One bad object must not take the cluster down: the two runaways of issue 19 written straight into the store
// (validation bypassed) — a Deployment whose pod template has `spec: {}` and a node group of desiredSize 0.5 —
// and a controller that rewrites its object forever make a bounded number of writes and Events, /healthz stays
// fast, and the write guard names the object and the controller in a log line and an Event.
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { Controller, namespacedName } from '../../client/controller.js';
import { processLogger } from '../../client/logger.js';
import { StaticClusterFacts } from '../../cloud/static.js';
import type { KubeObject } from '../../kube/api/types.js';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { callApi } from '../../kube/testing/call.js';
import type { Backend } from '../../store/types.js';
import { registerAdmission, startControlPlane } from './control-plane.js';
import { reportRunaways } from './runaway.js';

const apis: TestApi[] = [];
after(async () => {
  for (const api of apis) await api.close();
});

/** Counts the store's writes by resource from now on. */
async function countWrites(store: Backend) {
  const counts = new Map<string, number>();
  const watch = await store.watch('/registry/', { afterRevision: await store.currentRevision() }, (event) => {
    const resource = event.kv.key.split('/').slice(2, 4).join('/');
    counts.set(resource, (counts.get(resource) ?? 0) + 1);
  });
  return { counts, close: () => watch.close() };
}

async function healthzMs(api: TestApi): Promise<number> {
  const reply = await callApi({ url: api.server.url, caCert: api.caCert, token: api.token }, 'GET', '/healthz');
  assert.equal(reply.status, 200);
  return reply.ms;
}

it('a Deployment with an empty pod spec and a node group of 0.5 nodes make a bounded number of writes', async () => {
  const api = await startTestApi();
  apis.push(api);
  const facts = new StaticClusterFacts();
  const admission = await registerAdmission(api.ctx, facts);
  const controlPlane = await startControlPlane({ ctx: api.ctx, facts });
  const writes = await countWrites(api.store);
  const client = inProcessClient(api.ctx);
  await client.create({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: 'skiff-host-h1',
      namespace: 'kube-system',
      labels: { 'skiff.io/component': 'host-agent' },
      annotations: { 'skiff.io/capacity': JSON.stringify({ cpuMillis: 64000, memoryMiB: 262144, sandboxes: 100 }) },
    },
    spec: { holderIdentity: 'h1', leaseDurationSeconds: 3600, renewTime: new Date().toISOString() },
  });
  await api.store.create(
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
  facts.setNodegroups([
    {
      name: 'half',
      status: 'ACTIVE',
      desiredSize: 0.5,
      minSize: 0,
      maxSize: 2,
      instanceTypes: ['t3.medium'],
      subnets: ['subnet-0private0a'],
      capacityType: 'ON_DEMAND',
      amiType: 'AL2023_x86_64_STANDARD',
      labels: {},
      taints: [],
      releaseVersion: '1.32.9-20251120',
    },
  ]);
  await healthzMs(api); // the first call pays for the TLS handshake
  const latencies: number[] = [];
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    latencies.push(await healthzMs(api));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  writes.close();
  await controlPlane.stop();
  await admission.stop();
  const total = [...writes.counts.values()].reduce((a, b) => a + b, 0);
  // The lease, a few Events and the controllers' own bookkeeping: nothing that grows with time.
  assert.ok(total < 60, `writes in 5 s: ${JSON.stringify(Object.fromEntries(writes.counts))}`);
  assert.equal(writes.counts.get('core/nodes') ?? 0, 0);
  assert.equal(writes.counts.get('apps/replicasets') ?? 0, 0);
  // Nine in ten answers under 100 ms even on a loaded machine (the tests share two cores with other work).
  const p90 = [...latencies].sort((a, b) => a - b)[Math.floor(latencies.length * 0.9)];
  assert.ok(p90 < 100, `healthz took ${latencies.join(', ')} ms`);
});

/** A controller that can never converge: every reconcile writes its ConfigMap again, which queues it again. */
class Rewriter extends Controller {
  constructor(client: ReturnType<typeof inProcessClient>) {
    super(client, 'rewriter controller', { onError: () => {} });
    this.watch({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' });
  }

  protected async reconcile(key: string) {
    const [namespace, name] = namespacedName(key);
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace };
    const cm = await this.client.get<KubeObject>(ref, name);
    await this.client.update({ ...cm, data: { n: String(Number(cm.data?.n ?? 0) + 1) } });
    return {};
  }
}

it('holds back a reconcile that rewrites its object forever, naming it in a log line and an Event', async () => {
  const api = await startTestApi({ writeGuard: { perMinute: 100, firstHoldMs: 1000 } });
  apis.push(api);
  const client = inProcessClient(api.ctx);
  const lines: string[] = [];
  reportRunaways(
    api.ctx,
    client,
    processLogger((line) => lines.push(line)),
  );
  await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'spin', namespace: 'default' } });
  const writes = await countWrites(api.store);
  const rewriter = new Rewriter(client);
  await rewriter.start();
  await new Promise((resolve) => setTimeout(resolve, 4000));
  rewriter.stop();
  writes.close();
  const updates = writes.counts.get('core/configmaps') ?? 0;
  // 100, then 50 after a 1 s hold, 25 after 2 s more: never the thousands an unguarded loop makes.
  assert.ok(updates >= 100 && updates <= 200, `ConfigMap writes in 4 s: ${updates}`);
  assert.match(
    lines[0],
    /skiff-write-guard: rewriter controller wrote 100 times in a minute for ConfigMap default\/spin; its writes are held back for 1s/,
  );
  const events = await client.list<any>({ apiVersion: 'v1', kind: 'Event', namespace: 'default' });
  const held = events.items.filter((e) => e.reason === 'WritesHeldBack');
  assert.equal(held[0]?.involvedObject.name, 'spin');
  assert.equal(held[0]?.source.component, 'rewriter controller');
});
