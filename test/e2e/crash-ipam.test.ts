// kill -9 of `skiff up` while 200 Fargate pods are being scheduled: after `skiff up` again on the same data dir every
// pod runs with an IP of its own, the VPC address claims (IPAddress objects) are exactly the Fargate nodes' IPs —
// none duplicated, none leaked — and the IPs of deleted pods are released for reuse.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { internalIp, running, type Walkthrough, walkthrough } from './harness/cluster.js';
import { type SkiffProcess, startSkiff } from './harness/skiff.js';

const ns = 'crash';
const total = 200;
let skiff: SkiffProcess;
let w: Walkthrough;

before(async () => {
  skiff = await startSkiff(['--runtime', 'simulated']);
  w = await walkthrough(skiff);
  const created = await skiff.kubectl(['create', 'namespace', ns]);
  assert.equal(created.code, 0, created.stderr);
  await w.fargateProfile('crash', ns);
});
after(async () => {
  await skiff?.stop();
});

function podList(from: number, count: number): string {
  const items = Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p-${from + i}`, namespace: ns, labels: { half: (from + i) % 2 ? 'odd' : 'even' } },
    spec: { containers: [{ name: 'app', image: 'nginx' }] },
  }));
  // A YAML stream of JSON documents (a leading `---` keeps kubectl from reading it as one JSON object).
  return items.map((item) => `---\n${JSON.stringify(item)}\n`).join('');
}

const fargateNodes = () => w.nodes('eks.amazonaws.com/compute-type=fargate');
const claims = async () =>
  new Set<string>((await w.kubectlJson('get', 'ipaddresses')).items.map((c: any) => c.metadata.name));

/** Waits until `count` pods run and the claims are exactly the Fargate nodes' IPs; returns the pods' IPs. */
async function settled(count: number): Promise<string[]> {
  const pods = await w.waitFor(
    async () => {
      const pods = running(await w.pods(ns));
      return pods.length === count && pods;
    },
    `${count} pods Running`,
    180_000,
  );
  const ips: string[] = pods.map((p: any) => p.status.podIP);
  assert.equal(new Set(ips).size, count, 'every pod has an IP of its own');
  await w.waitFor(
    async () => {
      const nodeIps = (await fargateNodes()).map(internalIp).sort();
      const claimed = [...(await claims())].sort();
      return nodeIps.length === count && JSON.stringify(nodeIps) === JSON.stringify(claimed);
    },
    'the claims to be exactly the nodes’ IPs (leaked ones repaired)',
    60_000,
  );
  assert.deepEqual([...(await claims())].sort(), [...ips].sort());
  return ips;
}

it('keeps pod IPs unique and claims exact across kill -9 during scheduling', async () => {
  const applied = await skiff.kubectl(['apply', '-f', '-'], podList(0, total));
  assert.equal(applied.code, 0, applied.stderr);
  const before = await w.waitFor(async () => {
    const n = (await fargateNodes()).length;
    return n > 0 && n;
  }, 'the first Fargate node');
  await skiff.kill('SIGKILL');
  await skiff.restart();
  const ips = await settled(total);
  assert.ok(before <= total, `killed with ${before} of ${total} nodes made`);

  const deleted = await skiff.kubectl(['delete', 'pods', '-n', ns, '-l', 'half=odd', '--wait=false']);
  assert.equal(deleted.code, 0, deleted.stderr);
  const kept = await settled(total / 2);
  const released = ips.filter((ip) => !kept.includes(ip));
  assert.equal(released.length, total / 2);
  const claimed = await claims();
  assert.deepEqual(
    released.filter((ip) => claimed.has(ip)),
    [],
    'a deleted pod’s IP is released',
  );

  const more = await skiff.kubectl(['apply', '-f', '-'], podList(total, total / 2));
  assert.equal(more.code, 0, more.stderr);
  await settled(total);
});
