// The CronJob controller against the real in-process API with a fake clock, beside the Job controller (the test
// is the kubelet): Jobs on schedule with their name, annotation and owner, time zones, Allow / Forbid / Replace,
// history limits, startingDeadlineSeconds, suspend, and a schedule that does not parse.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KubeObject } from '../../kube/api/types.js';
import type { KubeClient } from '../../kube/client/types.js';
import { inProcessClient, namespacedResources } from '../../kube/index.js';
import { startTestApi, type TestApi } from '../../kube/testing/api.js';
import { until } from '../../testing/until.js';
import { GarbageCollector } from '../garbagecollector/controller.js';
import { JobController } from '../job/controller.js';
import { setPodPhase } from '../job/testing.js';
import { CronJobController } from './controller.js';
import { reconcileCronJob } from './reconcile.js';

const ns = 'default';
const cronRef = { apiVersion: 'batch/v1', kind: 'CronJob', namespace: ns };
const jobRef = { apiVersion: 'batch/v1', kind: 'Job', namespace: ns };
const minute = 60_000;
let api: TestApi;
let client: KubeClient;
let cron: CronJobController;
let jobs: JobController;
let gc: GarbageCollector;
let fakeNow = Date.now();
const errors: unknown[] = [];

before(async () => {
  api = await startTestApi();
  api.ctx.garbageCollector = true;
  client = inProcessClient(api.ctx);
  cron = new CronJobController(client, { now: () => fakeNow, onError: (error) => errors.push(error) });
  jobs = new JobController(client, { onError: (error) => errors.push(error) });
  gc = new GarbageCollector(client, () => namespacedResources(api.ctx));
  await Promise.all([cron.start(), jobs.start(), gc.start()]);
});
after(async () => {
  cron.stop();
  jobs.stop();
  gc.stop();
  await api.close();
});

/** Creates a CronJob with the fake clock back at the real time, as the API stamps creation with it. */
async function createCronJob(name: string, schedule: string, spec: Record<string, unknown> = {}): Promise<KubeObject> {
  fakeNow = Date.now();
  const created = await client.create({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: ns },
    spec: {
      schedule,
      jobTemplate: {
        metadata: { labels: { app: name }, annotations: { team: 'batch' } },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
      },
      ...spec,
    },
  });
  await cron.queue.drained();
  return created;
}

/** Moves the fake clock and has the controller look at every CronJob. */
async function at(ms: number): Promise<void> {
  fakeNow = ms;
  cron.resync();
  await cron.queue.drained();
}

const createdAt = (cronJob: KubeObject) => Date.parse(cronJob.metadata.creationTimestamp!);
const nextMinute = (ms: number) => Math.floor(ms / minute) * minute + minute;

async function jobsOf(cronJob: string): Promise<KubeObject[]> {
  const list = await client.list(jobRef);
  return list.items
    .filter((job) => job.metadata.ownerReferences?.some((ref) => ref.kind === 'CronJob' && ref.name === cronJob))
    .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
}

async function jobCount(cronJob: string, count: number): Promise<KubeObject[]> {
  return until(async () => {
    const current = (await jobsOf(cronJob)).filter((job) => !job.metadata.deletionTimestamp);
    return current.length === count && current;
  }, `${count} jobs of ${cronJob}`);
}

async function events(name: string, reason: string): Promise<string[]> {
  const list = await client.list({ apiVersion: 'v1', kind: 'Event', namespace: ns });
  return list.items.filter((e) => e.involvedObject?.name === name && e.reason === reason).map((e) => e.message);
}

/** Finishes a Job as the Job controller would have, retrying when the Job controller writes at the same time. */
async function finishJob(name: string, type: 'Complete' | 'Failed', startTime: string): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await until(async () => {
    const job = await client.get(jobRef, name);
    job.status = {
      startTime,
      ...(type === 'Complete' ? { completionTime: now, succeeded: 1 } : { failed: 1 }),
      conditions: [{ type, status: 'True', lastProbeTime: now, lastTransitionTime: now }],
    };
    return client.update(job, { subresource: 'status' }).then(
      () => true,
      () => false,
    );
  }, `finish ${name}`);
}

async function suspend(name: string): Promise<void> {
  const current = await client.get(cronRef, name);
  await client.update({ ...current, spec: { ...current.spec, suspend: true } });
}

it('creates the Job for each schedule time and records it in status', async () => {
  const cronJob = await createCronJob('tick', '*/5 * * * *');
  await at(createdAt(cronJob));
  assert.equal((await jobsOf('tick')).length, 0, 'nothing before the first schedule time');
  const scheduled = Math.floor(createdAt(cronJob) / (5 * minute)) * 5 * minute + 5 * minute;
  await at(scheduled + 1000);
  const [job] = await jobCount('tick', 1);
  assert.equal(job.metadata.name, `tick-${scheduled / minute}`);
  assert.equal(
    job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'],
    new Date(scheduled).toISOString().replace(/\.\d+Z$/, 'Z'),
  );
  assert.equal(job.metadata.annotations?.team, 'batch');
  assert.equal(job.metadata.labels?.app, 'tick');
  assert.deepEqual(job.metadata.ownerReferences, [
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      name: 'tick',
      uid: cronJob.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  const status = (await client.get(cronRef, 'tick')).status;
  assert.equal(status.lastScheduleTime, new Date(scheduled).toISOString().replace(/\.\d+Z$/, 'Z'));
  assert.deepEqual(
    status.active.map((ref: any) => [ref.kind, ref.apiVersion, ref.name, ref.uid]),
    [['Job', 'batch/v1', job.metadata.name, job.metadata.uid]],
  );
  assert.deepEqual(await events('tick', 'SuccessfulCreate'), [`Created job ${job.metadata.name}`]);

  // The Job controller runs its pod; the test is the kubelet.
  const pod = await until(async () => {
    const pods = await client.list(
      { apiVersion: 'v1', kind: 'Pod', namespace: ns },
      { labelSelector: `job-name=${job.metadata.name}` },
    );
    return pods.items[0];
  }, 'pod of the scheduled job');
  await setPodPhase(client, pod, 'Succeeded');
  const done = await until(async () => {
    const current = await client.get(cronRef, 'tick');
    return current.status?.lastSuccessfulTime && !current.status.active && current;
  }, 'lastSuccessfulTime and no active job');
  const completed = await client.get(jobRef, job.metadata.name!);
  assert.equal(done.status.lastSuccessfulTime, completed.status.completionTime);
  assert.deepEqual(await events('tick', 'SawCompletedJob'), [
    `Saw completed job: ${job.metadata.name}, condition: Complete`,
  ]);

  await at(scheduled + 5 * minute + 1000);
  const two = await jobCount('tick', 2);
  assert.equal(two[1].metadata.name, `tick-${scheduled / minute + 5}`);
  await suspend('tick');
});

it('reads the schedule in spec.timeZone', async () => {
  const cronJob = await createCronJob('tokyo', '0 9 * * *', { timeZone: 'Asia/Tokyo' });
  // 09:00 in Tokyo is 00:00 UTC.
  const scheduled = Math.floor(createdAt(cronJob) / (24 * 60 * minute)) * 24 * 60 * minute + 24 * 60 * minute;
  await at(scheduled + 1000);
  const [job] = await jobCount('tokyo', 1);
  assert.equal(job.metadata.name, `tokyo-${scheduled / minute}`);
  const day = new Date(scheduled).toISOString().slice(0, 10);
  assert.equal(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], `${day}T09:00:00+09:00`);
  await suspend('tokyo');
});

it('with concurrencyPolicy Forbid skips a run while the previous one is active', async () => {
  const cronJob = await createCronJob('forbid', '* * * * *', { concurrencyPolicy: 'Forbid' });
  const first = nextMinute(createdAt(cronJob));
  await at(first + 1000);
  await jobCount('forbid', 1);
  await at(first + minute + 1000);
  await cron.queue.drained();
  assert.equal((await jobsOf('forbid')).length, 1);
  assert.deepEqual(await events('forbid', 'JobAlreadyActive'), [
    'Not starting job because prior execution is running and concurrency policy is Forbid',
  ]);
  await suspend('forbid');
});

it('with concurrencyPolicy Replace deletes the active Job and starts the new one', async () => {
  const cronJob = await createCronJob('replace', '* * * * *', { concurrencyPolicy: 'Replace' });
  const first = nextMinute(createdAt(cronJob));
  await at(first + 1000);
  const [old] = await jobCount('replace', 1);
  await at(first + minute + 1000);
  const [current] = await jobCount('replace', 1);
  assert.equal(current.metadata.name, `replace-${first / minute + 1}`);
  assert.deepEqual(await events('replace', 'SuccessfulDelete'), [`Deleted job ${old.metadata.name}`]);
  const status = (await client.get(cronRef, 'replace')).status;
  assert.deepEqual(
    status.active.map((ref: any) => ref.name),
    [current.metadata.name],
  );
  await suspend('replace');
});

it('with concurrencyPolicy Allow runs Jobs side by side', async () => {
  const cronJob = await createCronJob('allow', '* * * * *');
  const first = nextMinute(createdAt(cronJob));
  await at(first + 1000);
  await jobCount('allow', 1);
  await at(first + minute + 1000);
  await jobCount('allow', 2);
  const status = (await client.get(cronRef, 'allow')).status;
  assert.equal(status.active.length, 2);
  await suspend('allow');
});

it('keeps successfulJobsHistoryLimit and failedJobsHistoryLimit finished Jobs', async () => {
  const cronJob = await createCronJob('history', '* * * * *', {
    successfulJobsHistoryLimit: 1,
    failedJobsHistoryLimit: 1,
  });
  const first = nextMinute(createdAt(cronJob));
  const outcomes: ('Complete' | 'Failed')[] = ['Complete', 'Failed', 'Complete', 'Failed'];
  for (const [i, outcome] of outcomes.entries()) {
    await at(first + i * minute + 1000);
    const name = `history-${first / minute + i}`;
    await until(async () => (await jobsOf('history')).some((job) => job.metadata.name === name), name);
    await finishJob(name, outcome, new Date(Date.now() + i * 1000).toISOString().replace(/\.\d+Z$/, 'Z'));
  }
  await at(first + 4 * minute - 1000);
  const kept = await until(async () => {
    const current = (await jobsOf('history')).filter((job) => !job.metadata.deletionTimestamp);
    return current.length === 2 && current;
  }, 'two jobs kept');
  assert.deepEqual(
    kept.map((job) => job.metadata.name),
    [`history-${first / minute + 2}`, `history-${first / minute + 3}`],
  );
  const deleted = await events('history', 'SuccessfulDelete');
  assert.deepEqual(deleted.sort(), [
    `Deleted job history-${first / minute}`,
    `Deleted job history-${first / minute + 1}`,
  ]);
  await suspend('history');
});

it('skips schedule times older than startingDeadlineSeconds', async () => {
  const cronJob = await createCronJob('deadline', '* * * * *', { startingDeadlineSeconds: 10 });
  const first = nextMinute(createdAt(cronJob));
  await at(first + 30_000);
  assert.equal((await jobsOf('deadline')).length, 0, 'too late for the first run');
  await at(first + minute + 5_000);
  const [job] = await jobCount('deadline', 1);
  assert.equal(job.metadata.name, `deadline-${first / minute + 1}`);
  await suspend('deadline');
});

it('starts nothing while suspended, then the most recent missed run on resume', async () => {
  const cronJob = await createCronJob('paused', '* * * * *', { suspend: true });
  const first = nextMinute(createdAt(cronJob));
  await at(first + 3 * minute + 1000);
  assert.equal((await jobsOf('paused')).length, 0);
  const current = await client.get(cronRef, 'paused');
  await client.update({ ...current, spec: { ...current.spec, suspend: false } });
  const [job] = await jobCount('paused', 1);
  assert.equal(job.metadata.name, `paused-${first / minute + 3}`);
  await suspend('paused');
});

it('reports a schedule that does not parse', async () => {
  await createCronJob('broken', '61 * * * *');
  await until(async () => (await events('broken', 'UnparseableSchedule')).length > 0, 'UnparseableSchedule event');
  assert.deepEqual(await events('broken', 'UnparseableSchedule'), [
    'unparseable schedule: "61 * * * *" : end of range (61) above maximum (59): 61',
  ]);
  assert.equal((await jobsOf('broken')).length, 0);
  assert.deepEqual(errors, []);
});

it('looks again within the range of a timer for a yearly schedule', async () => {
  const cronJob = await createCronJob('yearly', '@yearly');
  const result = await reconcileCronJob(client, ns, 'yearly', () => createdAt(cronJob));
  assert.ok(result.requeueAfterMs !== undefined && result.requeueAfterMs > 0 && result.requeueAfterMs < 2 ** 31);
  await suspend('yearly');
});
