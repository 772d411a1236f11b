// Metering across kill -9 of `skiff up` (simulated runtime): the Fargate pods' UsageRecords are the same records
// after `skiff up` again — one per pod, same start — and deleting the pods then closes them; nothing is doubled.
// `skiff check` reads the running cluster's Fargate profiles through its EKS API when no ClusterConfig is given.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { running, type Walkthrough, walkthrough } from './harness/cluster.js';
import { run, type SkiffProcess, skiffBin, startSkiff } from './harness/skiff.js';

const ns = 'metered';
let skiff: SkiffProcess;
let w: Walkthrough;

before(async () => {
  skiff = await startSkiff(['--runtime', 'simulated']);
  w = await walkthrough(skiff);
  assert.equal((await skiff.kubectl(['create', 'namespace', ns])).code, 0);
  await w.fargateProfile('fp-metered', ns);
});
after(async () => {
  await skiff?.stop();
});

const records = async () => (await w.kubectlJson('get', 'usagerecords')).items as any[];
const podRecords = async () => (await records()).filter((r) => r.spec.resourceType === 'FargatePod');

it('keeps one record per pod across kill -9 and closes them after', async () => {
  for (const name of ['a', 'b']) {
    const made = await skiff.kubectl(['run', name, '-n', ns, '--image', 'nginx']);
    assert.equal(made.code, 0, made.stderr);
  }
  await w.waitFor(async () => running(await w.pods(ns)).length === 2, 'two pods running');
  const before = await w.waitFor(async () => {
    const list = await podRecords();
    return list.length === 2 ? list : undefined;
  }, 'two records');
  await skiff.kill('SIGKILL');
  await skiff.restart();
  await w.waitFor(async () => running(await w.pods(ns)).length === 2, 'two pods running again');
  const after = await podRecords();
  assert.equal(after.length, 2, 'no record doubled');
  for (const record of before) {
    const again = after.find((r) => r.metadata.name === record.metadata.name);
    assert.equal(again?.spec.start, record.spec.start);
    assert.equal(again?.spec.stop, undefined);
  }
  assert.equal((await skiff.kubectl(['delete', 'pod', 'a', 'b', '-n', ns, '--wait=true'])).code, 0);
  await w.waitFor(async () => (await podRecords()).every((r) => r.spec.stop), 'records closed');
  const json = JSON.parse((await w.skiff('cost', '--data-dir', skiff.dataDir, '-o', 'json')).stdout);
  assert.equal(json.items.length, 2);
  assert.equal(json.burnRatePerHour, 0);
  for (const item of json.items) assert.ok(item.seconds >= 60, 'at least the minute');
});

it('skiff check takes the profiles from the running cluster', async () => {
  const manifest = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ${ns}}
spec:
  hostNetwork: true
  containers: [{name: c, image: nginx}]
`;
  const checked = await runWithInput(['check', '-f', '-', '--cluster', 'skiff'], manifest);
  assert.equal(checked.code, 1, checked.stderr);
  assert.match(checked.stdout, /^profiles: fp-metered$/m);
  assert.match(checked.stdout, /REFUSED: {3}Pod not supported on Fargate: fields not supported: HostNetwork/);
});

async function runWithInput(args: string[], input: string) {
  const envOut = await run(skiffBin, ['env', '--data-dir', skiff.dataDir]);
  const env = Object.fromEntries([...envOut.stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
  return run(skiffBin, args, { env: { ...env, SKIFF_DATA_DIR: skiff.dataDir }, input });
}
