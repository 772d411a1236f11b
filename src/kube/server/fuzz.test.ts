// The kube API fuzzer (src/kube/testing/fuzz.ts) against the API in-process on the SQLite store: a seeded run of a
// few thousand requests must find no 500, no stall, no escape, nothing lost and nothing invalid stored. The seed and
// counts are printed; SKIFF_FUZZ_SEED replays a run, SKIFF_FUZZ_REQUESTS makes it longer.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { fuzzSeed } from '../../testing/fuzz.js';
import { startTestApi, type TestApi } from '../testing/api.js';
import { fuzzKubeApi } from '../testing/fuzz.js';

let api: TestApi;
before(async () => {
  api = await startTestApi({ store: 'sqlite', serviceAccounts: true });
});
after(() => api.close());

it('survives a seeded fuzz run with no 500, no stall, no escape and nothing invalid stored', async () => {
  const target = { url: api.server.url, caCert: api.caCert, token: api.token };
  const requests = Number(process.env.SKIFF_FUZZ_REQUESTS) || 3000;
  const report = await fuzzKubeApi(target, { seed: fuzzSeed(20261205), requests });
  console.log(
    `kube fuzz: seed ${report.seed}, ${report.workers} workers, ${report.requests} requests (${report.statuses}), ${report.kept} objects kept, ${report.missing} missing, ${report.undecodable} undecodable`,
  );
  assert.deepEqual(report.failures, []);
});
