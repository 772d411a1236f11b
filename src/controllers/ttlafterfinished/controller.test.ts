// The TTL-after-finished controller with the Job controller and the garbage collector against the real API:
// ttlSecondsAfterFinished 0 removes a finished Job and its pods; a Job without a TTL and its pods stay.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient, namespacedResources } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { GarbageCollector } from '../garbagecollector/controller.js';
import { JobController } from '../job/controller.js';
import { jobManifest, setPodPhase } from '../job/testing.js';
import { TtlAfterFinishedController } from './controller.js';
import { expiresAt } from './reconcile.js';

const ns = 'default';
const podRef = { apiVersion: 'v1', kind: 'Pod', namespace: ns };
const jobRef = { apiVersion: 'batch/v1', kind: 'Job', namespace: ns };
let api: TestApi;
let client: KubeClient;
let jobs: JobController;
let ttl: TtlAfterFinishedController;
let gc: GarbageCollector;
const errors: unknown[] = [];

before(async () => {
  api = await startTestApi();
  api.ctx.garbageCollector = true;
  client = inProcessClient(api.ctx);
  jobs = new JobController(client, { onError: (error) => errors.push(error) });
  ttl = new TtlAfterFinishedController(client, { onError: (error) => errors.push(error) });
  gc = new GarbageCollector(client, () => namespacedResources(api.ctx));
  await Promise.all([jobs.start(), ttl.start(), gc.start()]);
});
after(async () => {
  jobs.stop();
  ttl.stop();
  gc.stop();
  await api.close();
});

const podsOf = async (job: string) =>
  (await client.list(podRef, { labelSelector: `batch.kubernetes.io/job-name=${job}` })).items;
const exists = (name: string) =>
  client.get(jobRef, name).then(
    () => true,
    () => false,
  );

async function runToCompletion(name: string, spec: Record<string, unknown>) {
  await client.create(jobManifest(name, ns, { completions: 2, parallelism: 2, ...spec }));
  const pods = await until(async () => {
    const current = await podsOf(name);
    return current.length === 2 && current;
  }, `${name} pods`);
  for (const pod of pods) await setPodPhase(client, pod, 'Succeeded');
}

it('removes a Job with ttlSecondsAfterFinished 0 and its pods once it finishes', async () => {
  await runToCompletion('short-lived', { ttlSecondsAfterFinished: 0 });
  await until(async () => !(await exists('short-lived')), 'job deleted');
  await until(async () => (await podsOf('short-lived')).length === 0, 'pods deleted');
});

it('keeps a finished Job without a TTL, and its pods', async () => {
  await runToCompletion('kept', {});
  await until(async () => (await client.get(jobRef, 'kept')).status?.completionTime, 'complete');
  await jobs.queue.drained();
  await ttl.queue.drained();
  assert.ok(await exists('kept'));
  assert.equal((await podsOf('kept')).length, 2);
  assert.deepEqual(errors, []);
});

it('counts the TTL from the Complete or Failed condition', () => {
  const job = (ttlSecondsAfterFinished: number | undefined, conditions: unknown[]) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j' },
    spec: { ttlSecondsAfterFinished },
    status: { conditions },
  });
  const failed = { type: 'Failed', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' };
  assert.equal(expiresAt(job(60, [failed])), Date.parse('2025-01-01T00:01:00Z'));
  assert.equal(expiresAt(job(undefined, [failed])), undefined);
  assert.equal(expiresAt(job(60, [{ ...failed, type: 'FailureTarget' }])), undefined);
});
