// `skiff cost` against a kube API holding usage records: the table grouped by namespace and by label, the burn
// rate, JSON, CUR-style CSV with `:pod/` resource IDs, a time range, and the PNG chart opened and looked at.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { PNG } from 'pngjs';
import { inProcessClient } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { type UsageSpec, usageRecordCrd, usageRecordRef } from '../../metering/usage-record.js';
import { runCost } from './cost.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const hour = 3_600_000;
const now = t0 + 4 * hour;
let api: TestApi;
let kubeconfig: string;

const pod = (
  name: string,
  namespace: string,
  start: number,
  stop: number | undefined,
  extra: Partial<UsageSpec> = {},
) => ({
  ...usageRecordRef,
  metadata: { name: `pod-uid-${name}` },
  spec: {
    resourceType: 'FargatePod',
    cluster: 'skiff',
    region: 'us-east-1',
    name,
    uid: `uid-${name}`,
    namespace,
    profile: `fp-${namespace}`,
    workload: { kind: 'Deployment', name: namespace === 'fargate-app' ? 'hello-app' : 'game-2048' },
    labels: { team: namespace === 'fargate-app' ? 'api' : 'games' },
    capacityProvisioned: '0.25vCPU 0.5GB',
    vcpu: 0.25,
    memoryGB: 0.5,
    storageGB: 20,
    start: new Date(start).toISOString(),
    ...(stop ? { stop: new Date(stop).toISOString() } : {}),
    ...extra,
  },
});

before(async () => {
  api = await startTestApi();
  const client = inProcessClient(api.ctx);
  await client.create(usageRecordCrd);
  await client.create(pod('hello-1', 'fargate-app', t0, undefined)); // 4 h, running
  await client.create(pod('hello-2', 'fargate-app', t0 + hour, t0 + 2 * hour)); // 1 h
  await client.create(
    pod('game-1', 'game-2048', t0, undefined, {
      capacityProvisioned: '1vCPU 2GB',
      vcpu: 1,
      memoryGB: 2,
      storageGB: 30,
    }),
  ); // 4 h with 10 GB extra storage
  await client.create({
    ...usageRecordRef,
    metadata: { name: 'node-uid-n1' },
    spec: {
      resourceType: 'Node',
      cluster: 'skiff',
      region: 'us-east-1',
      name: 'ip-10-0-1-5.ec2.internal',
      uid: 'uid-n1',
      nodegroup: 'ng-1',
      labels: {},
      vcpu: 2,
      memoryGB: 8,
      storageGB: 0,
      instanceType: 'm5.large',
      instanceId: 'i-0abc123',
      start: new Date(t0).toISOString(),
      stop: new Date(t0 + 2 * hour).toISOString(),
    },
  });
  await client.create({
    ...usageRecordRef,
    metadata: { name: 'node-uid-n2' },
    spec: {
      resourceType: 'Node',
      cluster: 'skiff',
      region: 'ap-northeast-2',
      name: 'ip-10-0-1-6.ap-northeast-2.compute.internal',
      uid: 'uid-n2',
      labels: {},
      vcpu: 2,
      memoryGB: 8,
      storageGB: 0,
      instanceType: 'm7g.large',
      start: new Date(t0).toISOString(),
    },
  });
  kubeconfig = join(api.dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'test',
      clusters: [
        {
          name: 'test',
          cluster: { server: api.server.url, 'certificate-authority-data': Buffer.from(api.caCert).toString('base64') },
        },
      ],
      users: [{ name: 'admin', user: { token: api.token } }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'admin' } }],
    }),
  );
});
after(() => api.close());

const cost = (opts: Record<string, string>) =>
  runCost({ dataDir: api.dir, kubeconfig, by: 'namespace', output: 'table', ...opts }, now);

const small = 0.25 * 0.04048 + 0.5 * 0.004445; // $0.01234/hour
const game = 1 * 0.04048 + 2 * 0.004445 + 10 * 0.000111;

it('prints the bill so far and the burn rate by namespace', async () => {
  const out = await cost({});
  const lines = out.split('\n');
  assert.match(lines[0], /^NAMESPACE\s+RESOURCES\s+RUNNING\s+HOURS\s+COST\s+BURN\/HOUR$/);
  assert.match(
    out,
    new RegExp(`^game-2048\\s+1\\s+1\\s+4\\.000\\s+\\$${(4 * game).toFixed(5).replace('.', '\\.')}`, 'm'),
  );
  assert.match(out, /^fargate-app\s+2\s+1\s+5\.000\s+\$0\.06171\s+\$0\.01234$/m);
  assert.match(out, /^<node group ng-1>\s+1\s+0\s+2\.000\s+\$0\.19200\s+\$0\.00$/m);
  const burn = small + game;
  assert.match(out, new RegExp(`Burn rate \\$${burn.toFixed(5).replace('.', '\\.')}/hour`));
  assert.match(
    out,
    /^Not in the bill: Node\/ip-10-0-1-6\.ap-northeast-2\.compute\.internal: no EC2 price is known for instance type m7g\.large in region ap-northeast-2$/m,
  );
});

it('groups by label and by workload, over a range', async () => {
  assert.match(await cost({ by: 'label:team' }), /^api\s+2\s+1\s+5\.000/m);
  const out = await cost({ by: 'workload', since: '1h' });
  assert.match(out, /^fargate-app\/Deployment\/hello-app\s+1\s+1\s+1\.000\s+\$0\.01234/m);
  assert.doesNotMatch(out, /^Node\//m, 'the node stopped before the range');
});

it('writes JSON and CUR-style CSV with :pod/ resource IDs', async () => {
  const json = JSON.parse(await cost({ output: 'json' }));
  assert.equal(json.currency, 'USD');
  assert.equal(json.total.toFixed(6), (5 * small + 4 * game + 0.192).toFixed(6));
  assert.equal(json.items.length, 4);
  const csv = (await cost({ output: 'csv', accountId: '111122223333' })).trim().split('\n');
  const header = csv[0].split(',');
  for (const column of [
    'lineItem/UsageStartDate',
    'lineItem/ResourceId',
    'lineItem/UsageAmount',
    'lineItem/UnblendedCost',
  ])
    assert.ok(header.includes(column), column);
  const rows = csv.slice(1).map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i], v])));
  const vcpu = rows.find(
    (r) =>
      r['lineItem/UsageType'] === 'USE1-Fargate-vCPU-Hours:perCPU' && r['lineItem/ResourceId'].endsWith('/uid-game-1'),
  )!;
  assert.equal(vcpu['lineItem/ResourceId'], 'arn:aws:eks:us-east-1:111122223333:pod/skiff/game-2048/game-1/uid-game-1');
  assert.equal(vcpu['lineItem/UsageAmount'], '4.00000000');
  assert.equal(vcpu['lineItem/UsageStartDate'], '2026-01-01T00:00:00Z');
  assert.ok(rows.some((r) => r['lineItem/UsageType'] === 'USE1-Fargate-EphemeralStorage-GB-Hours'));
  const node = rows.find((r) => r['lineItem/ResourceId'] === 'i-0abc123')!;
  assert.equal(node['lineItem/UsageType'], 'BoxUsage:m5.large');
  const sum = rows.reduce((s, r) => s + Number(r['lineItem/UnblendedCost']), 0);
  assert.ok(Math.abs(sum - json.total) < 1e-6);
});

it('draws a PNG chart that is a real picture', async () => {
  const file = join(api.dir, 'cost.png');
  await cost({ chart: file });
  const png = PNG.sync.read(readFileSync(file));
  assert.equal(png.width, 900);
  assert.equal(png.height, 500);
  const colours = new Set<number>();
  let inked = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
    colours.add((r << 16) | (g << 8) | b);
    if (r < 200 || g < 200 || b < 200) inked++;
  }
  assert.ok(colours.size > 20, `only ${colours.size} colours`);
  assert.ok(inked > 2000, `only ${inked} dark pixels`);
});

it('refuses an unknown grouping and output', async () => {
  await assert.rejects(cost({ by: 'colour' }), /cannot group by "colour"/);
  await assert.rejects(cost({ output: 'xml' }), /unknown output format "xml"/);
});
