// The kube API fuzzer against a whole `skiff up --runtime simulated` (controllers, schedulers and an agent reacting
// to what it writes): a seeded run must find no 500, no answer slower than 5 s, no escape, nothing lost and nothing
// invalid stored, while the cluster keeps working. The seed and counts are printed; SKIFF_FUZZ_SEED replays a run.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { fuzzKubeApi } from '../../src/kube/testing/fuzz.js';
import { fuzzSeed } from '../../src/testing/fuzz.js';
import { type SkiffProcess, startSkiff } from './harness/skiff.js';

let skiff: SkiffProcess;
before(async () => {
  skiff = await startSkiff(['--runtime', 'simulated']);
});
after(() => skiff?.stop());

it('a fuzz run against the whole cluster finds no 500, stall, escape, loss or invalid object', async () => {
  const target = { url: skiff.kubeEndpoint, caCert: skiff.caCert, token: skiff.token };
  const requests = Number(process.env.SKIFF_FUZZ_REQUESTS) || 3000;
  const report = await fuzzKubeApi(target, { seed: fuzzSeed(20261205), requests });
  console.log(
    `kube fuzz on skiff up: seed ${report.seed}, ${report.workers} workers, ${report.requests} requests (${report.statuses}), ${report.kept} objects kept, ${report.missing} missing, ${report.undecodable} undecodable`,
  );
  assert.deepEqual(report.failures, []);
  const namespace = await skiff.kubectl(['get', 'namespaces', 'fuzz', '-o', 'name']);
  assert.equal(namespace.stdout.trim(), 'namespace/fuzz', namespace.stderr);
});
