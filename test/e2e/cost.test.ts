// What a Fargate pod costs, on `skiff up --runtime simulated` with real kubectl: a Deployment's pod on a Fargate
// profile gets a UsageRecord at its size (`kubectl get usagerecords`), `skiff cost` prints it in a table, JSON, CUR
// CSV and a PNG chart, `kubectl get --raw /metrics` shows it by profile, and deleting the pod closes the record.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { PNG } from 'pngjs';
import { running, type Walkthrough, walkthrough } from './harness/cluster.js';
import { type SkiffProcess, startSkiff } from './harness/skiff.js';

const image = 'import.skiff.local/e2e/busybox:1';
const ns = 'billing';
let skiff: SkiffProcess;
let w: Walkthrough;

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'worker', namespace: ns },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'worker' } },
    template: {
      metadata: { labels: { app: 'worker', team: 'data' } },
      spec: {
        containers: [
          {
            name: 'worker',
            image,
            imagePullPolicy: 'IfNotPresent',
            command: ['sleep', '3600'],
            resources: { requests: { cpu: '500m', memory: '1Gi' } },
          },
        ],
      },
    },
  },
};

before(async () => {
  // Metering reads pods, events and profiles, not containers: the simulated runtime keeps this file off the
  // real-runtime lock (the kill -9 and restart cases are in cost-restart.test.ts).
  skiff = await startSkiff(['--runtime', 'simulated']);
  w = await walkthrough(skiff);
  assert.equal((await skiff.kubectl(['create', 'namespace', ns])).code, 0);
  await w.fargateProfile('fp-billing', ns);
});
after(async () => {
  await skiff?.stop();
});

it('meters a Fargate pod, prints its cost, serves /metrics, and closes the record on delete', async () => {
  const applied = await skiff.kubectl(['apply', '-f', '-'], JSON.stringify(deployment));
  assert.equal(applied.code, 0, applied.stderr);
  const [pod] = await w.waitFor(
    async () => {
      const list = running(await w.pods(ns));
      return list.length === 1 ? list : undefined;
    },
    'worker running',
    120_000,
  );
  assert.equal(pod.metadata.annotations.CapacityProvisioned, '0.5vCPU 2GB');
  const record = await w.waitFor(async () => {
    const list = (await w.kubectlJson('get', 'usagerecords')).items;
    return list.find((r: any) => r.spec.uid === pod.metadata.uid);
  }, 'usage record');
  assert.equal(record.metadata.name, `pod-${pod.metadata.uid}`);
  assert.equal(record.spec.profile, 'fp-billing');
  assert.deepEqual(record.spec.workload, { kind: 'Deployment', name: 'worker' });
  const table = await skiff.kubectl(['get', 'usagerecords']);
  assert.match(table.stdout, /FargatePod\s+billing\s+worker-\S+\s+0\.5vCPU 2GB/);

  const dir = ['--data-dir', skiff.dataDir];
  const cost = await w.skiff('cost', ...dir, '--by', 'label:team');
  assert.equal(cost.code, 0, cost.stderr);
  assert.match(cost.stdout, /^LABEL:TEAM\s+RESOURCES\s+RUNNING\s+HOURS\s+COST\s+BURN\/HOUR$/m);
  // ap-northeast-2: 0.5 × $0.04656 + 2 × $0.00511 = $0.03350 an hour.
  assert.match(cost.stdout, /^data\s+1\s+1\s+[\d.]+\s+\$[\d.]+\s+\$0\.03350$/m);
  const json = JSON.parse((await w.skiff('cost', ...dir, '-o', 'json')).stdout);
  assert.equal(json.items[0].size, '0.5vCPU 2GB');
  assert.ok(json.total >= (60 / 3600) * 0.0335 - 1e-9, 'the first minute is owed');
  const csv = (await w.skiff('cost', ...dir, '-o', 'csv')).stdout;
  assert.match(
    csv,
    new RegExp(`arn:aws:eks:ap-northeast-2:\\d{12}:pod/skiff/${ns}/${pod.metadata.name}/${pod.metadata.uid}`),
  );
  assert.match(csv, /APN2-Fargate-vCPU-Hours:perCPU/);
  const chart = join(skiff.dataDir, 'cost.png');
  assert.equal((await w.skiff('cost', ...dir, '--chart', chart)).code, 0);
  const png = PNG.sync.read(readFileSync(chart));
  assert.equal(png.width, 900);

  const metrics = await skiff.kubectl(['get', '--raw', '/metrics']);
  assert.equal(metrics.code, 0, metrics.stderr);
  assert.match(metrics.stdout, /^skiff_fargate_pods\{profile="fp-billing"\} 1$/m);
  assert.match(metrics.stdout, /^skiff_fargate_provisioned_vcpu\{profile="fp-billing"\} 0\.5$/m);
  assert.match(metrics.stdout, /^skiff_fargate_provisioned_memory_gigabytes\{profile="fp-billing"\} 2$/m);

  assert.equal((await skiff.kubectl(['delete', 'deployment', 'worker', '-n', ns, '--wait=true'])).code, 0);
  const closed = await w.waitFor(
    async () => {
      const list = (await w.kubectlJson('get', 'usagerecords')).items;
      return list.find((r: any) => r.spec.uid === pod.metadata.uid && r.spec.stop);
    },
    'record closed',
    120_000,
  );
  assert.ok(Date.parse(closed.spec.stop) > Date.parse(closed.spec.start));
});
